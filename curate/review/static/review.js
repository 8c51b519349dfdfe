// The review queue: one claim at a time, decided from the keyboard, saved at once.
(function () {
  "use strict";
  const base = document.querySelector("script[src$='review.js']").src.replace(/\/review-static\/review\.js.*$/, "");
  const csrf = document.querySelector("meta[name=csrftoken]").content;
  const $ = (id) => document.getElementById(id);
  const state = { key: null, base: null, detail: null, skipped: [], decided: [] };

  function filters() {
    const params = new URLSearchParams(new FormData($("filters")));
    for (const [k, v] of [...params]) if (!v) params.delete(k);
    return params;
  }

  async function api(path, body) {
    const options = body === undefined ? { credentials: "same-origin" } : {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrftoken": csrf },
      body: JSON.stringify(body) };
    const response = await fetch(base + path, options);
    let data = {};
    try { data = await response.json(); } catch (e) { data = { ok: false, error: response.statusText }; }
    data.httpStatus = response.status;
    return data;
  }

  function say(text, isError) {
    $("message").textContent = text || "";
    $("message").className = "message" + (isError ? " error" : "");
  }

  async function loadNext() {
    const params = filters();
    if (state.skipped.length) params.set("exclude", state.skipped.join(","));
    const result = await api("/review/api/next?" + params.toString());
    if (!result.ok) return say(result.error, true);
    const gene = params.get("gene") ? " for " + params.get("gene") : "";
    $("progress").textContent = result.remaining + " " + (params.get("status") || "pending") + gene;
    if (!result.claim_key) {
      $("card").hidden = true;
      state.key = null;
      $("progress").textContent += " · nothing left to review here";
      return;
    }
    await loadClaim(result.claim_key);
  }

  async function loadClaim(key) {
    const detail = await api("/review/api/claim/" + key);
    if (!detail.ok) return say(detail.error, true);
    state.key = key; state.base = detail.latest_decision_id; state.detail = detail;
    render(detail);
  }

  function render(d) {
    const c = d.claim;
    $("card").hidden = false;
    $("card").dataset.key = c.claim_key;
    $("claim-type").textContent = c.type === "gene_phenotype" ? "gene–phenotype" : "gene–therapy";
    $("claim-subject").textContent = c.subject;
    $("claim-object").textContent = (c.hpo || c.therapy) + (c.object_name && c.hpo ? " " + c.object_name : "");
    const flags = [];
    if (c.negated) flags.push("NEGATED");
    if (c.hedged) flags.push("hedged");
    if (c.outcome) flags.push("outcome: " + c.outcome);
    $("claim-flags").textContent = flags.length ? "(" + flags.join(", ") + ")" : "";
    $("claim-score").textContent = c.score;
    $("claim-status").textContent = c.status;
    const sentence = $("sentence");
    sentence.textContent = "";
    const text = c.sentence || "";
    let at = 0;
    for (const h of d.highlights) {
      if (h.start < at || h.end > text.length) continue;
      sentence.appendChild(document.createTextNode(text.slice(at, h.start)));
      const span = document.createElement("mark");
      span.className = "ent ent-" + h.kind + ((h.id === c.subject || h.id === c.object) ? " target" : "");
      span.title = h.kind + " " + h.id;
      span.textContent = text.slice(h.start, h.end);
      sentence.appendChild(span);
      at = h.end;
    }
    sentence.appendChild(document.createTextNode(text.slice(at)));
    $("article-title").textContent = d.article.title || "";
    $("article-journal").textContent = d.article.journal || "";
    $("article-year").textContent = d.article.year || "";
    $("pubmed-link").href = d.pubmed_url;
    $("abstract").textContent = (d.article.title || "") + "\n\n" + (d.article.abstract || "(no abstract)");
    const history = $("history");
    history.textContent = "";
    for (const h of d.history) {
      const li = document.createElement("li");
      li.textContent = h.decided_at + " " + h.curator + ": " + h.decision +
        (h.conflict ? " (disagreement)" : " → " + (h.status_after || "")) + (h.note ? " — " + h.note : "");
      history.appendChild(li);
    }
  }

  async function decide(decision, changes, note) {
    if (!state.key) return;
    const key = state.key;
    const result = await api("/review/api/decide", { claim_key: key, decision: decision,
      base_decision_id: state.base, changes: changes || null, note: note || null });
    if (result.httpStatus === 409) { say(result.error, true); await loadClaim(key); return; }
    if (!result.ok) return say(result.error, true);
    state.decided.push(key);
    say("Saved: " + decision + " → " + result.status);
    await loadNext();
  }

  async function undo() {
    const key = state.decided.pop();
    if (!key) return say("Nothing to undo in this session.", true);
    const result = await api("/review/api/undo", { claim_key: key });
    if (!result.ok) return say(result.error, true);
    say("Undone: the claim is back to " + result.status);
    await loadClaim(key);
  }

  function openEdit() {
    if (!state.detail) return;
    const c = state.detail.claim, form = $("edit");
    form.hidden = false;
    form.subject.value = c.subject;
    form.negated.checked = !!c.negated;
    form.hedged.checked = !!c.hedged;
    const pheno = c.type === "gene_phenotype";
    form.querySelectorAll(".pheno-only").forEach(el => el.hidden = !pheno);
    form.querySelectorAll(".therapy-only").forEach(el => el.hidden = pheno);
    $("hpo-id").value = c.hpo || "";
    $("hpo-chosen").textContent = c.hpo ? c.hpo + " " + (c.object_name || "") : "";
    if (!pheno) { form.therapy.value = c.therapy; form.outcome.value = c.outcome || "not_stated"; }
    (pheno ? $("hpo-search") : form.therapy).focus();
  }

  let searchTimer = null;
  $("hpo-search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
      const q = $("hpo-search").value;
      const result = await api("/review/api/hpo?q=" + encodeURIComponent(q));
      const list = $("hpo-results");
      list.textContent = "";
      for (const term of result.terms || []) {
        const li = document.createElement("li");
        li.dataset.id = term.id;
        li.textContent = term.id + " " + term.name + (term.synonym ? " (" + term.synonym + ")" : "");
        li.addEventListener("click", () => {
          $("hpo-id").value = term.id;
          $("hpo-chosen").textContent = term.id + " " + term.name;
          list.textContent = "";
        });
        list.appendChild(li);
      }
    }, 150);
  });

  $("edit").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = $("edit"), c = state.detail.claim;
    const changes = { subject: form.subject.value, negated: form.negated.checked, hedged: form.hedged.checked };
    if (c.type === "gene_phenotype") changes.hpo = $("hpo-id").value;
    else { changes.therapy = form.therapy.value; changes.outcome = form.outcome.value; }
    form.hidden = true;
    await decide("edit", changes, form.note.value);
    form.note.value = "";
  });
  $("edit-cancel").addEventListener("click", () => { $("edit").hidden = true; });

  $("add").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = $("add");
    const result = await api("/review/api/add", { pmid: state.detail.claim.pmid, type: form.type.value,
      subject: form.subject.value, object: form.object.value.trim(), sentence: form.sentence.value });
    if (!result.ok) return say(result.error, true);
    form.hidden = true;
    say("Added claim " + result.claim_key);
  });
  $("add-cancel").addEventListener("click", () => { $("add").hidden = true; });
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault(); state.skipped = [];
    if (document.activeElement) document.activeElement.blur();
    history.replaceState(null, "", "?" + filters().toString());  // a reload keeps the filters
    loadNext();
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    // keys are commands unless the curator is typing into a text field
    const typing = ["SELECT", "TEXTAREA"].includes(target.tagName) ||
      (target.tagName === "INPUT" && !["submit", "button", "checkbox", "radio"].includes(target.type));
    if (event.key === "Escape") { $("edit").hidden = true; $("add").hidden = true; $("help").hidden = true; return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    switch (event.key) {
      case "a": decide("accept"); break;
      case "r": decide("reject"); break;
      case "s": if (state.key) { state.skipped.push(state.key); loadNext(); } break;
      case "e": event.preventDefault(); openEdit(); break;
      case "u": undo(); break;
      case "b": $("abstract").hidden = !$("abstract").hidden; break;
      case "n": if (state.detail) { $("add").hidden = false; $("add").sentence.value = window.getSelection().toString(); } break;
      case "?": $("help").hidden = !$("help").hidden; break;
      default: return;
    }
  });

  loadNext();
})();
