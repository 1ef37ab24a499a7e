// The workbench's script: live updates (Server-Sent Events), drag-and-drop reordering,
// dropping files on the import and absorb forms, and the editor's line numbers. Every
// page works without it; this only saves reloads. No build step, no libraries.
"use strict";

(function () {
  const body = document.body;
  const csrf = body.dataset.csrf;
  const page = body.dataset.page;
  const caseId = body.dataset.case || "";

  // --- live updates -----------------------------------------------------------------
  // Each event names what changed; the page fetches that part again. Fetches of one
  // part run one at a time, and the newest wins: ten saves end in the last one's view.
  const latest = {};
  async function refresh(part, url, target, after) {
    const ticket = (latest[part] = (latest[part] || 0) + 1);
    const response = await fetch(url, { cache: "no-store" });
    if (ticket !== latest[part]) return; // a newer refresh is under way
    if (!response.ok) return;
    const html = await response.text();
    if (ticket !== latest[part]) return;
    const x = window.scrollX, y = window.scrollY;
    const focused = focusPlace(target);
    target.innerHTML = html;
    window.scrollTo(x, y);
    if (focused) refocus(target, focused);
    body.dataset.updated = String(Date.now());
    if (after) after();
  }

  // A keyboard user's place survives a refresh: the focused control is found again in
  // the new content by its row (an element with an id) and what it is.
  function focusPlace(target) {
    const el = document.activeElement;
    if (!el || el === document.body || !target.contains(el)) return null;
    const holder = el.closest("[id]");
    if (!holder || !target.contains(holder)) return null;
    let what = el.tagName.toLowerCase();
    if (el.value) what += `[value="${CSS.escape(el.value)}"]`;
    if (el.classList.length) what += "." + CSS.escape(el.classList[0]);
    return { holder: holder.id, what: holder === el ? "" : what };
  }
  function refocus(target, place) {
    const holder = document.getElementById(place.holder);
    if (!holder || !target.contains(holder)) return;
    let el = place.what ? holder.querySelector(place.what) : holder;
    if (el && el.disabled) el = holder.querySelector("button:not(:disabled), a"); // at an end
    if (el) el.focus();
  }

  function refreshCase() {
    const target = document.getElementById("case-live");
    if (target) refresh("case", "/case/" + encodeURIComponent(caseId) + "/fragment", target, loadPages);
  }
  function refreshBook() {
    const target = document.getElementById("book-live");
    if (target) refresh("book", "/book/fragment", target, setUpReorder);
  }

  function loadPages() {
    const target = document.getElementById("pages-live");
    if (target) refresh("pages", target.dataset.src, target);
  }

  function connect() {
    if (!window.EventSource) return;
    const state = document.getElementById("live-state");
    const source = new EventSource("/events");
    source.onopen = () => state && state.classList.add("on");
    source.onerror = () => state && state.classList.remove("on");
    source.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (event.kind === "hello") {
        // Changed between this page's rendering and the connection (or while it was
        // away): fetch it again.
        if (String(event.version) !== body.dataset.version) {
          if (page === "case") refreshCase();
          if (page === "book") refreshBook();
        }
        body.dataset.version = String(event.version);
      } else if (event.kind === "case") {
        if (page === "case" && event.case === caseId) refreshCase();
        if (page === "book") refreshBook();
      } else if (event.kind === "book") {
        // settings, theme or templates: the stylesheet may have changed too
        const sheet = document.querySelector('link[href^="/screen.css"]');
        if (sheet) sheet.href = "/screen.css?v=" + event.version;
        if (page === "case") refreshCase();
        if (page === "book") refreshBook();
      } else if (event.kind === "pages") {
        if (page === "case" && event.case === caseId) loadPages(); // the case's proof
      } else if (event.kind === "build") {
        showBuild(event);
      }
      if (event.version !== undefined) body.dataset.version = String(event.version);
    };
  }

  function showBuild(event) {
    const box = document.getElementById("build-progress");
    const button = document.getElementById("build-now");
    if (box) box.textContent = event.text || "";
    if (button) button.disabled = event.step !== "end";
    if (event.step === "end" && page === "book") refreshBook();
    if (event.step === "end" && page === "case") loadPages();
  }

  // --- the build button -------------------------------------------------------------
  function setUpBuild() {
    const form = document.querySelector(".build-form");
    if (!form) return;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const button = document.getElementById("build-now");
      if (button) button.disabled = true;
      const box = document.getElementById("build-progress");
      if (box) box.textContent = "正在构建…";
      await fetch("/build", { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } });
    });
  }

  // --- drag and drop reordering -----------------------------------------------------
  let dragged = null;
  function setUpReorder() {
    const parts = document.getElementById("parts");
    moving = false; // the book as it is now: its forms carry the file's digest
    if (!parts) return;
    setUpMoveButtons();
    parts.querySelectorAll(".case-row").forEach((row) => {
      row.addEventListener("dragstart", (e) => {
        dragged = row;
        row.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", row.dataset.case);
      });
      row.addEventListener("dragend", () => row.classList.remove("dragging"));
    });
    parts.querySelectorAll("ol.cases").forEach((list) => {
      list.addEventListener("dragover", (e) => {
        if (!dragged) return;
        e.preventDefault();
        const after = [...list.querySelectorAll(".case-row:not(.dragging)")].find((r) => {
          const box = r.getBoundingClientRect();
          return e.clientY < box.top + box.height / 2;
        });
        if (after) list.insertBefore(dragged, after);
        else list.appendChild(dragged);
      });
      list.addEventListener("drop", (e) => {
        e.preventDefault();
        if (dragged) saveOrder(parts);
        dragged = null;
      });
    });
  }

  // The ↑ ↓ buttons (touch screens, keyboards): posted without leaving the page; the
  // button keeps the focus in the case's new place, so pressing it again moves it on.
  let moving = false;
  function setUpMoveButtons() {
    const parts = document.getElementById("parts");
    if (!parts) return;
    parts.querySelectorAll("form.move").forEach((form) => {
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        if (moving) return; // one at a time, each checked against the file the last wrote
        moving = true;
        const step = e.submitter ? e.submitter.value : "";
        const data = new FormData(form);
        data.append("step", step);
        try {
          const response = await fetch("/move", { method: "POST", body: data, headers: { Accept: "application/json" } });
          if (!response.ok) {
            const answer = await response.json().catch(() => ({ error: "移动失败" }));
            alert(answer.error || "移动失败");
          }
        } catch (error) {
          moving = false; // not sent: nothing changed
          return;
        }
        refreshBook(); // the focus stays on this button, in the case's new place
      });
    });
  }

  async function saveOrder(parts) {
    const order = [...parts.querySelectorAll(".part")].map((part) => [
      part.dataset.title,
      [...part.querySelectorAll(".case-row")].map((r) => r.dataset.case),
    ]);
    const form = new FormData();
    form.append("csrf", csrf);
    form.append("order", JSON.stringify(order));
    form.append("expected", parts.dataset.expected);
    const response = await fetch("/reorder", { method: "POST", body: form, headers: { Accept: "application/json" } });
    if (!response.ok) {
      const answer = await response.json().catch(() => ({ error: "保存顺序失败" }));
      alert(answer.error || "保存顺序失败");
    }
    refreshBook();
  }

  // --- dropping files on a form ------------------------------------------------------
  function setUpDrop(zoneId, formId) {
    const zone = document.getElementById(zoneId);
    const form = document.getElementById(formId);
    if (!zone || !form) return;
    const input = zone.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach((name) =>
      zone.addEventListener(name, (e) => { e.preventDefault(); zone.classList.add("over"); }));
    ["dragleave", "drop"].forEach((name) =>
      zone.addEventListener(name, () => zone.classList.remove("over")));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      form.submit();
    });
    input.addEventListener("change", () => {
      const label = zone.querySelector("span");
      if (label) label.textContent = [...input.files].map((f) => f.name).join("、") || label.textContent;
    });
  }

  // --- the editor ----------------------------------------------------------------------
  function setUpEditor() {
    const text = document.getElementById("text");
    const gutter = document.querySelector(".gutter");
    const form = document.getElementById("editor-form");
    if (!text || !gutter || !form) return;
    const number = () => {
      const lines = text.value.split("\n").length;
      let out = "";
      for (let i = 1; i <= lines; i++) out += i + "\n";
      gutter.textContent = out;
      gutter.scrollTop = text.scrollTop;
    };
    text.addEventListener("input", number);
    text.addEventListener("scroll", () => { gutter.scrollTop = text.scrollTop; });
    text.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); form.submit(); }
    });
    number();
    const line = new URLSearchParams(location.search).get("line");
    if (line) {
      const lines = text.value.split("\n");
      const at = lines.slice(0, Number(line) - 1).join("\n").length + 1;
      text.focus();
      text.setSelectionRange(at, at);
    }
  }

  connect();
  setUpBuild();
  setUpReorder();
  setUpDrop("import-drop", "import-form");
  setUpDrop("absorb-drop", "absorb-form");
  setUpEditor();
  loadPages();
})();
