// The review queue: one claim at a time, decided from the keyboard, saved at once.
(function () {
  "use strict";
  const base = document.querySelector("script[src$='review.js']").src.replace(/\/review-static\/review\.js.*$/, "");
  const csrf = document.querySelector("meta[name=csrftoken]").content;
  const $ = (id) => document.getElementById(id);
  // skips and this session's undo stack survive a reload (sessionStorage, this tab only)
  const saved = JSON.parse(sessionStorage.getItem("higm-review") || "{}");
  const state = { key: null, base: null, detail: null, skipped: saved.skipped || [],
                  decided: saved.decided || [], count: saved.count || 0, busy: false,
                  mode: null, pending: null };
  function remember() {
    sessionStorage.setItem("higm-review", JSON.stringify(
      { skipped: state.skipped.slice(-500), decided: state.decided.slice(-200), count: state.count }));
  }

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
    let response;
    try {
      response = await fetch(base + path, options);
    } catch (e) {
      return { ok: false, network: true, error: "The server did not answer: nothing was saved." };
    }
    let data = {};
    try { data = await response.json(); } catch (e) { data = { ok: false, error: response.statusText }; }
    data.httpStatus = response.status;
    return data;
  }

  function say(text, isError, result) {
    const box = $("message");
    box.textContent = text || "";
    box.className = "message" + (isError ? " error" : "");
    if (result && result.httpStatus === 403) {
      const link = document.createElement("a");
      link.href = base + "/review/login?next=" + encodeURIComponent(location.pathname + location.search +
        (state.key ? "#" + state.key : ""));
      link.textContent = " Sign in again (you will come back to this claim)";
      link.id = "signin-again";
      box.appendChild(link);
    }
    if (result && result.network && state.pending) {
      const retry = document.createElement("button");
      retry.textContent = "Retry"; retry.id = "retry";
      retry.addEventListener("click", () => { const p = state.pending; state.pending = null; p(); });
      box.appendChild(document.createTextNode(" ")); box.appendChild(retry);
    }
  }

  async function loadNext() {
    const params = filters();
    if (state.skipped.length) params.set("exclude", state.skipped.join(","));
    if (state.detail) params.set("after", state.detail.claim.pmid);  // stay in this article
    const result = await api("/review/api/next?" + params.toString());
    if (!result.ok) return say(result.error, true, result);
    showProgress(result, params);
    if (!result.claim_key) {
      $("card").hidden = true;
      state.key = null;
      $("progress").textContent += " · nothing left to review here";
      return;
    }
    await loadClaim(result.claim_key);
  }

  // the counts again, without moving to another card (after an undo)
  async function refreshProgress() {
    const params = filters();
    const result = await api("/review/api/next?" + params.toString());
    if (result.ok) showProgress(result, params);
  }

  function showProgress(result, params) {
    const gene = params.get("gene") ? " for " + params.get("gene") : "";
    $("progress").textContent = state.count + " decided this session · " + result.remaining + " " +
      (params.get("status") || "pending") + gene + (result.claim_key ? " · " + result.left_in_article +
      " left in this article" : "");
    if (result.notices) $("progress").textContent += " · " + result.notices +
      " of your decisions disputed by another curator (see Disagreements)";
    const done = state.count, total = state.count + result.remaining;
    $("progress-bar").max = total || 1; $("progress-bar").value = done;
  }

  async function loadClaim(key) {
    const detail = await api("/review/api/claim/" + key);
    if (!detail.ok) return say(detail.error, true, detail);
    state.key = key; state.base = detail.latest_decision_id; state.detail = detail;
    closeForms();
    render(detail);
    history.replaceState(null, "", location.search + "#" + key);  // a link to this claim
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
    $("claim-rule").textContent = c.rule ? "Why proposed: " + c.rule : "";
    $("claim-species").textContent = c.species || "";
    $("claim-species").className = "badge" + (c.species && c.species !== "human" ? " badge-warn" : "");
    $("claim-study").textContent = (c.study || "").replace("_", " ") + (c.patients ? ", " + c.patients + " patients" : "");
    // the model's version is a detail for maintainers: on hover, not in the card's words
    $("claim-model").textContent = c.model_version ? "score from the claim model" : "score from the rules";
    $("claim-model").title = c.model_version ? "model " + c.model_version : "";
    const t = c.hpo_term;
    $("hpo-definition").textContent = t && t.definition ? t.definition : "";
    $("hpo-parents").textContent = t && t.parents.length ? "Parents: " + t.parents.map(p => p.name).join(", ") : "";
    $("hpo-link").hidden = !t; if (t) $("hpo-link").href = t.url;
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
    markTriggers(sentence, triggerWords(c.rule || "").concat(d.cues || []));
    // the other pending cards this sentence gave for the same subject: decided together
    state.group = (d.other_claims || []).filter(o => o.subject === c.subject &&
      o.sent_start === c.sent_start && o.status === "pending").map(o => o.claim_key);
    const names = (d.other_claims || []).filter(o => state.group.includes(o.claim_key)).map(o => o.object);
    $("group").hidden = !state.group.length;
    $("group").textContent = state.group.length ? "This sentence gave " + state.group.length +
      " more card" + (state.group.length > 1 ? "s" : "") + " for " + c.subject + " (" + names.join(", ") +
      "): Shift+A accepts all, Shift+R rejects all." : "";
    $("article-title").textContent = d.article.title || "";
    $("article-journal").textContent = d.article.journal || "";
    $("article-year").textContent = d.article.year || "";
    $("pubmed-link").href = d.pubmed_url;
    renderAbstract(d);
    const history = $("history");
    history.textContent = "";
    for (const h of d.history) {
      const li = document.createElement("li");
      li.textContent = h.decided_at + " " + h.curator + ": " + h.decision +
        (h.conflict ? " (disagreement)" : " → " + (h.status_after || "")) +
        (h.reason ? " [" + h.reason.replace(/_/g, " ") + "]" : "") + (h.note ? " — " + h.note : "");
      history.appendChild(li);
    }
  }

  // the words the rule quotes ('CD40LG' + 'neutropenia'), and the negation or hedging cues
  function triggerWords(rule) {
    return Array.from(rule.matchAll(/'([^']{2,80})'/g), m => m[1].replace(/…$/, ""));
  }
  function markTriggers(box, words) {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      for (const word of words) {
        const at = node.textContent.toLowerCase().indexOf(word.toLowerCase());
        if (!word || at < 0) continue;
        const after = node.splitText(at);
        after.splitText(word.length);
        const mark = document.createElement("mark");
        mark.className = "trigger";
        mark.textContent = after.textContent;
        after.replaceWith(mark);
        break;
      }
    }
  }

  // the abstract with the evidence sentence highlighted and the article's other claims marked
  function renderAbstract(d) {
    const box = $("abstract"), text = (d.article.title || "") + "\n" + (d.article.abstract || "(no abstract)");
    box.textContent = "";
    const marks = [{ start: d.claim.sent_start, end: d.claim.sent_end, cls: "evidence" }];
    for (const o of d.other_claims || []) if (o.sent_start != null && o.sent_start !== d.claim.sent_start)
      marks.push({ start: o.sent_start, end: o.sent_end, cls: "other-claim" });
    marks.sort((a, b) => a.start - b.start);
    let at = 0;
    for (const m of marks) {
      if (m.start == null || m.start < at) continue;
      box.appendChild(document.createTextNode(text.slice(at, m.start)));
      const mark = document.createElement("mark"); mark.className = m.cls;
      mark.textContent = text.slice(m.start, m.end); box.appendChild(mark); at = m.end;
    }
    box.appendChild(document.createTextNode(text.slice(at)));
  }

  // one request at a time; a decision that could not be sent stays on screen with a retry
  async function decide(decision, changes, note, reason) {
    if (!state.key || state.busy) return;
    const key = state.key;
    state.busy = true;
    const result = await api("/review/api/decide", { claim_key: key, decision: decision,
      base_decision_id: state.base, changes: changes || null, note: note || null, reason: reason || null });
    state.busy = false;
    if (result.network) { state.pending = () => decide(decision, changes, note, reason); return say(result.error, true, result); }
    if (result.httpStatus === 409) { say(result.error, true); await loadClaim(key); return; }
    if (!result.ok) return say(result.error, true, result);
    state.decided.push(key); state.count += 1; remember();
    say("Saved: " + decision + (reason ? " (" + reason.replace(/_/g, " ") + ")" : "") + " → " + result.status);
    await loadNext();
  }

  // one key for the card and the others of its sentence, in one transaction on the server
  async function decideGroup(decision) {
    if (!state.key || state.busy || !state.group || !state.group.length) return;
    const keys = [state.key].concat(state.group);
    state.busy = true;
    const result = await api("/review/api/decide", { claim_keys: keys, decision: decision });
    state.busy = false;
    if (!result.ok) { say(result.error, true, result); await loadClaim(state.key); return; }
    state.decided.push(keys); state.count += keys.length; remember();
    say("Saved: " + decision + " for " + keys.length + " cards of one sentence");
    await loadNext();
  }

  function closeForms() {
    // focus must not stay in a hidden field, or the next key would count as typing
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    for (const id of ["edit", "add", "reasons", "outcomes"]) $(id).hidden = true;
    state.mode = null;
    editPicker.reset(); addPicker.reset();
    $("add").reset();
  }

  // a group comes back whole: each of its decisions is taken back, the first card shown
  async function undoGroup(keys) {
    state.busy = true;
    let undone = 0;
    for (const key of keys) {
      const result = await api("/review/api/undo", { claim_key: key });
      if (result.ok) undone += 1;
    }
    state.busy = false;
    state.count = Math.max(0, state.count - undone); remember();
    say("Undone: " + undone + " of " + keys.length + " cards of the sentence are back");
    await loadClaim(keys[0]);
    await refreshProgress();
  }

  async function undo() {
    if (state.busy) return;
    const last = state.decided.pop();
    if (!last) return say("Nothing to undo in this session.", true);
    if (Array.isArray(last)) return undoGroup(last);
    const key = last;
    state.busy = true;
    const result = await api("/review/api/undo", { claim_key: key });
    state.busy = false;
    if (!result.ok) { state.decided.push(key); return say(result.error, true, result); }
    state.count = Math.max(0, state.count - 1); remember();
    say("Undone: the claim is back to " + result.status);
    await loadClaim(key);
    await refreshProgress();
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
    // the evidence sentence is chosen among the article's own sentences
    const article = state.detail.article || {};
    const choices = [c.sentence].concat(sentencesOf((article.title || "") + " " + (article.abstract || ""))
      .filter(x => x !== c.sentence));
    const select = $("edit-sentence");
    select.replaceChildren(...choices.map(text => {
      const option = document.createElement("option");
      option.value = text; option.textContent = text.length > 140 ? text.slice(0, 139) + "…" : text;
      return option;
    }));
    select.value = c.sentence;
    form.patients.value = c.patients === null || c.patients === undefined ? "" : c.patients;
    form.species.value = c.species || "human";
    form.study.value = c.study || "case_series";
    (pheno ? $("hpo-search") : form.therapy).focus();
  }

  // The HPO picker, for the edit form and the add form: typing searches, arrows move,
  // Enter picks the highlighted term (Enter again then saves the form), a click picks too.
  function picker(input, list, hidden, chosen) {
    let timer = null, pick = -1;
    function highlight(i) {
      const items = list.children;
      if (!items.length) return;
      pick = (i + items.length) % items.length;
      [...items].forEach((li, n) => li.classList.toggle("active", n === pick));
    }
    function reset() { list.textContent = ""; pick = -1; input.value = ""; }
    function choose(li) {
      hidden.value = li.dataset.id;
      chosen.textContent = li.dataset.id + " " + li.dataset.name;
      reset();
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const result = await api("/review/api/hpo?q=" + encodeURIComponent(input.value));
        list.textContent = ""; pick = -1;
        for (const term of result.terms || []) {
          const li = document.createElement("li");
          li.dataset.id = term.id; li.dataset.name = term.name;
          const name = document.createElement("strong"); name.textContent = term.name;
          li.appendChild(name);
          li.appendChild(document.createTextNode(" " + term.id + (term.synonym ? " (" + term.synonym + ")" : "")));
          if (term.definition) {
            const def = document.createElement("div"); def.className = "definition";
            def.textContent = term.definition; li.appendChild(def);
          }
          li.addEventListener("click", () => choose(li));
          list.appendChild(li);
        }
        if (list.children.length) highlight(0);
        else if (input.value.trim()) {
          // say so, rather than showing nothing at all
          const li = document.createElement("li"); li.className = "no-match";
          li.textContent = "No HPO term matches \u201c" + input.value.trim() +
            "\u201d: try another word, a synonym or an HP: ID.";
          list.appendChild(li);
        }
      }, 120);
    });
    input.addEventListener("keydown", (event) => {
      const items = list.children;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(pick + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(pick - 1); }
      else if (event.key === "Enter" && items.length && pick >= 0 && items[pick].dataset.id) {
        event.preventDefault(); choose(items[pick]);
      }
    });
    return { reset };
  }
  const editPicker = picker($("hpo-search"), $("hpo-results"), $("hpo-id"), $("hpo-chosen"));
  const addPicker = picker($("add-search"), $("add-results"), $("add-object"), $("add-chosen"));

  $("add-type").addEventListener("change", () => {
    const pheno = $("add-type").value === "gene_phenotype";
    document.querySelector("#add .add-pheno").hidden = !pheno;
    document.querySelector("#add .add-therapy").hidden = pheno;
  });
  function sentencesOf(text) {
    return (text || "").split(/(?<=[.!?])\s+(?=[A-Z(])/).map(x => x.trim()).filter(x => x.length > 10);
  }

  $("edit").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = $("edit"), c = state.detail.claim;
    const changes = {};
    if (form.subject.value !== c.subject) changes.subject = form.subject.value;
    if (form.negated.checked !== !!c.negated) changes.negated = form.negated.checked;
    if (form.hedged.checked !== !!c.hedged) changes.hedged = form.hedged.checked;
    if (c.type === "gene_phenotype") { if ($("hpo-id").value !== c.hpo) changes.hpo = $("hpo-id").value; }
    else {
      if (form.therapy.value !== c.therapy) changes.therapy = form.therapy.value;
      if (form.outcome.value !== (c.outcome || "not_stated")) changes.outcome = form.outcome.value;
    }
    if (form.sentence.value && form.sentence.value !== c.sentence) changes.sentence = form.sentence.value;
    const patients = form.patients.value === "" ? null : Number(form.patients.value);
    if (patients !== (c.patients === undefined ? null : c.patients)) changes.patients = patients;
    if (form.species.value !== (c.species || "human")) changes.species = form.species.value;
    if (form.study.value !== (c.study || "case_series")) changes.study = form.study.value;
    if (!Object.keys(changes).length) return say("Nothing changed: press a to accept as it is, Esc to close.", true);
    closeForms();
    await decide("edit", changes, form.note.value);
    form.note.value = "";
  });
  $("edit-cancel").addEventListener("click", () => { $("edit").hidden = true; });

  $("add").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = $("add");
    if (state.busy) return;
    state.busy = true;
    const object = form.type.value === "gene_phenotype" ? $("add-object").value : $("add-therapy").value;
    if (!object) { state.busy = false; return say("Pick an HPO term first (type, arrows, Enter).", true); }
    const result = await api("/review/api/add", { pmid: state.detail.claim.pmid, type: form.type.value,
      subject: form.subject.value, object: object, sentence: form.sentence.value });
    state.busy = false;
    if (result.httpStatus === 409 && result.claim_key) {
      // the claim is there already (perhaps under the model's threshold): open it to decide
      closeForms();
      await loadClaim(result.claim_key);
      return say(result.error, false);
    }
    if (!result.ok) return say(result.error, true, result);
    closeForms();
    state.decided.push(result.claim_key); remember();
    const termName = form.type.value === "gene_phenotype" ? ($("add-chosen").textContent || object) : object;
    say("Added: " + form.subject.value + " \u2192 " + termName + " (accepted)");
  });
  $("add-cancel").addEventListener("click", () => { $("add").hidden = true; });
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault(); state.skipped = [];
    if (document.activeElement) document.activeElement.blur();
    history.replaceState(null, "", "?" + filters().toString());  // a reload keeps the filters
    loadNext();
  });

  const reasonKeys = [...document.querySelectorAll("#reasons li")].map(li => li.dataset.reason);
  const outcomeKeys = [...document.querySelectorAll("#outcomes li")].map(li => li.dataset.outcome);
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    // keys are commands only when focus is not in a form field, on a link or on a button
    const typing = ["SELECT", "TEXTAREA", "A", "BUTTON"].includes(target.tagName) ||
      (target.tagName === "INPUT");
    if (event.key === "Escape") { closeForms(); $("help").hidden = true; return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (state.mode === "reason") {
      const n = parseInt(event.key, 10);
      if (n >= 1 && n <= reasonKeys.length) { closeForms(); decide("reject", null, null, reasonKeys[n - 1]); }
      else if (event.key === "Enter" || event.key === "r") { closeForms(); decide("reject"); }
      event.preventDefault(); return;
    }
    if (state.mode === "outcome") {
      const n = parseInt(event.key, 10);
      const c = state.detail && state.detail.claim;
      closeForms();
      if (c && n >= 1 && n <= outcomeKeys.length && outcomeKeys[n - 1] !== (c.outcome || "not_stated"))
        decide("edit", { outcome: outcomeKeys[n - 1] });
      event.preventDefault(); return;
    }
    switch (event.key) {
      case "a": decide("accept"); break;
      case "A": decideGroup("accept"); break;
      case "R": decideGroup("reject"); break;
      // one key each to flip a flag: the edit is logged and the claim accepted with it
      case "x": if (state.detail) decide("edit", { negated: !state.detail.claim.negated }); break;
      case "h": if (state.detail) decide("edit", { hedged: !state.detail.claim.hedged }); break;
      case "r": if (state.key) { $("reasons").hidden = false; state.mode = "reason"; } break;
      case "o": if (state.detail && state.detail.claim.type === "gene_therapy") { $("outcomes").hidden = false; state.mode = "outcome"; } break;
      case "s": if (state.key) { state.skipped.push(state.key); remember(); loadNext(); } break;
      case "e": event.preventDefault(); openEdit(); break;
      case "u": undo(); break;
      case "b": $("abstract").hidden = !$("abstract").hidden; break;
      case "n": if (state.detail) {
        event.preventDefault();
        const form = $("add"); form.hidden = false; form.reset();
        $("add-object").value = ""; $("add-chosen").textContent = ""; addPicker.reset();
        document.querySelector("#add .add-pheno").hidden = false;
        document.querySelector("#add .add-therapy").hidden = true;
        form.subject.value = state.detail.claim.subject;
        const select = $("add-sentence"); select.textContent = "";
        const a = state.detail.article;
        for (const text of [a.title || ""].concat(sentencesOf(a.abstract))) {
          const option = document.createElement("option");
          option.value = text; option.textContent = text.length > 140 ? text.slice(0, 137) + "..." : text;
          select.appendChild(option);
        }
        const wanted = window.getSelection().toString().trim() || state.detail.claim.sentence || "";
        for (const option of select.options) if (wanted && option.value.includes(wanted.slice(0, 60))) { option.selected = true; break; }
        $("add-search").focus();
      } break;
      case "?": $("help").hidden = !$("help").hidden; break;
      default: return;
    }
  });

  // a link to one claim (#KEY) opens it; otherwise the queue's next
  if (location.hash.length > 1) {
    const params = filters();
    api("/review/api/next?" + params.toString()).then(r => { if (r.ok) showProgress(r, params); });
    loadClaim(location.hash.slice(1));
  } else loadNext();
})();
