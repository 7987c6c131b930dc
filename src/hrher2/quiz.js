/* Self-check questions of the course (hrher2.quiz): feedback in the browser, no kernel; answers kept in this
   browser's localStorage only. Which option is right and the feedback are base64 in .hq-data and written into the
   page only when the reader answers (or, for printing, into the answer key just before the page prints). */
(function () {
  "use strict";
  function decode(b64) {
    var bin = atob(b64.trim()), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  }
  function readStore(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeStore(key, store) {
    try { window.localStorage.setItem(key, JSON.stringify(store)); return true; } catch (e) { return false; }
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function letter(i) { return String.fromCharCode(65 + i); }
  function enable(root) {
    root.classList.add("hq-ready");
    root.querySelectorAll("input, button").forEach(function (x) { x.disabled = false; });
  }

  function initQuiz(root) {
    var key = root.getAttribute("data-hq-key"), set = root.getAttribute("data-hq-set");
    var secret = decode(root.querySelector(".hq-data").textContent);
    var items = Array.prototype.slice.call(root.querySelectorAll(".hq-q"));
    var score = root.querySelector(".hq-score");
    var objNode = root.querySelector(".hq-objectives");
    var objectives = objNode ? JSON.parse(objNode.textContent) : null;

    function feedback(item, idx, choice) {
      var s = secret[idx], box = item.querySelector(".hq-feedback"), right = choice === s.c;
      item.classList.toggle("hq-right", right);
      item.classList.toggle("hq-wrong", !right);
      box.textContent = "";
      var p = el("p");
      p.appendChild(el("strong", "", right ? "Correct. " : "Not quite. "));
      p.appendChild(document.createTextNode(s.f[choice]));
      box.appendChild(p);
      if (!right) {
        var again = el("p", "", "Try another option, or revisit ");
        var a = el("a", "", s.r);
        a.href = s.u;
        again.appendChild(a);
        again.appendChild(document.createTextNode("."));
        box.appendChild(again);
      }
    }
    function refresh() {
      var store = readStore(key), answered = 0, correct = 0;
      items.forEach(function (item) {
        var rec = store[item.getAttribute("data-hq-id")];
        if (rec) { answered++; if (rec.correct) correct++; }
      });
      score.textContent = answered + " of " + items.length + " answered, " + correct + " correct.";
      if (objectives) {
        var box = root.querySelector(".hq-by-objective");
        box.textContent = "";
        var table = el("table", "hq-table"), head = el("tr");
        table.appendChild(el("caption", "", "Final assessment: " + answered + " of " + items.length +
                                             " answered, " + correct + " correct"));
        ["Objective", "Answered", "Correct", "To revisit"].forEach(function (h) {
          var th = el("th", "", h); th.scope = "col"; head.appendChild(th);
        });
        table.appendChild(head);
        objectives.forEach(function (o) {
          var mine = items.filter(function (it) { return it.getAttribute("data-hq-objective") === o.id; });
          var n = 0, k = 0;
          mine.forEach(function (it) { var r = store[it.getAttribute("data-hq-id")]; if (r) { n++; if (r.correct) k++; } });
          var tr = el("tr");
          var th = el("th", "", o.lesson + " · " + o.text); th.scope = "row"; tr.appendChild(th);
          tr.appendChild(el("td", "", n + " of " + mine.length));
          tr.appendChild(el("td", "", k + " of " + mine.length));
          var td = el("td");
          if (n > 0 && k < n) { var a = el("a", "", o.section); a.href = o.url; td.appendChild(a); }
          else td.textContent = n === 0 ? "not answered yet" : "nothing";
          tr.appendChild(td);
          table.appendChild(tr);
        });
        box.appendChild(table);
      }
    }
    items.forEach(function (item, idx) {
      var id = item.getAttribute("data-hq-id");
      item.querySelector(".hq-check").addEventListener("click", function () {
        var picked = item.querySelector("input[type=radio]:checked");
        if (!picked) { item.querySelector(".hq-feedback").textContent = "Choose an option first."; return; }
        var choice = parseInt(picked.value, 10), store = readStore(key);
        store[id] = {choice: choice, correct: choice === secret[idx].c, lesson: item.getAttribute("data-hq-lesson"),
                     objective: item.getAttribute("data-hq-objective"), set: set};
        writeStore(key, store);
        feedback(item, idx, choice);
        refresh();
      });
      var rec = readStore(key)[id];
      if (rec && typeof rec.choice === "number" && secret[idx].f[rec.choice] !== undefined) {
        var input = item.querySelectorAll("input[type=radio]")[rec.choice];
        if (input) input.checked = true;
        feedback(item, idx, rec.choice);
      }
    });
    root.querySelector(".hq-forget").addEventListener("click", function () {
      writeStore(key, {});
      items.forEach(function (item) {
        item.classList.remove("hq-right", "hq-wrong");
        item.querySelector(".hq-feedback").textContent = "";
        item.querySelectorAll("input[type=radio]").forEach(function (x) { x.checked = false; });
      });
      refresh();
      score.textContent = "Your answers are forgotten. " + score.textContent;
    });
    var keyBox = root.querySelector(".hq-key"), home = keyBox.parentNode, next = keyBox.nextSibling;
    window.addEventListener("beforeprint", function () {
      keyBox.textContent = "";
      keyBox.appendChild(el("h2", "", keyBox.getAttribute("data-hq-title")));
      var ol = el("ol");
      items.forEach(function (item, idx) {
        var s = secret[idx], li = el("li"), labels = item.querySelectorAll("label");
        li.appendChild(el("strong", "", letter(s.c) + ": " + labels[s.c].textContent));
        var ul = el("ul");
        s.f.forEach(function (f, i) { ul.appendChild(el("li", "", letter(i) + ". " + f)); });
        ul.appendChild(el("li", "", "Revisit: " + s.r));
        li.appendChild(ul);
        ol.appendChild(li);
      });
      keyBox.appendChild(ol);
      var article = root.closest("article");
      if (article) article.appendChild(keyBox);
      keyBox.hidden = false;
    });
    window.addEventListener("afterprint", function () {
      keyBox.hidden = true;
      keyBox.textContent = "";
      home.insertBefore(keyBox, next);
    });
    items.forEach(function (item) {
      item.querySelectorAll("label").forEach(function (l, i) { l.setAttribute("data-hq-letter", letter(i)); });
    });
    refresh();
    enable(root);
  }

  function initProgress(root) {
    var key = root.getAttribute("data-hq-key"), plan = JSON.parse(root.querySelector(".hq-plan").textContent);
    var body = root.querySelector(".hq-progress-body");
    function draw() {
      var store = readStore(key), total = 0, totalAnswered = 0, totalCorrect = 0;
      body.textContent = "";
      plan.forEach(function (lesson) {
        var table = el("table", "hq-table"), cap = el("caption"), a = el("a", "", "Lesson " + lesson.lesson);
        a.href = lesson.url;
        cap.appendChild(a);
        table.appendChild(cap);
        var head = el("tr");
        ["Objective", "Questions", "Answered", "Correct"].forEach(function (h) {
          var th = el("th", "", h); th.scope = "col"; head.appendChild(th);
        });
        table.appendChild(head);
        var la = 0, lc = 0, lm = 0;
        lesson.objectives.forEach(function (o) {
          var n = 0, k = 0;
          o.questions.forEach(function (q) { var r = store[q]; if (r) { n++; if (r.correct) k++; } });
          la += n; lc += k; lm += o.questions.length;
          var tr = el("tr"), th = el("th", "", o.id + " "), link = el("a", "", o.text);
          th.scope = "row"; link.href = o.url; th.appendChild(link); tr.appendChild(th);
          tr.appendChild(el("td", "", String(o.questions.length)));
          tr.appendChild(el("td", "", String(n)));
          tr.appendChild(el("td", "", String(k)));
          tr.setAttribute("data-hq-objective", o.id);
          table.appendChild(tr);
        });
        cap.appendChild(document.createTextNode(": " + la + " of " + lm + " answered, " + lc + " correct"));
        total += lm; totalAnswered += la; totalCorrect += lc;
        body.appendChild(table);
      });
      var sum = el("p", "hq-score", "Whole course: " + totalAnswered + " of " + total + " answered, " +
                   totalCorrect + " correct.");
      body.insertBefore(sum, body.firstChild);
    }
    root.querySelector(".hq-forget").addEventListener("click", function () { writeStore(key, {}); draw(); });
    draw();
    enable(root);
  }

  function start(root) {
    if (!root || root.getAttribute("data-hq-started")) return;
    root.setAttribute("data-hq-started", "1");
    if (root.classList.contains("hq-progress")) initProgress(root); else initQuiz(root);
  }
  var me = document.currentScript, mine = me && me.closest ? me.closest(".hq-quiz, .hq-progress") : null;
  if (mine) start(mine);
  else document.querySelectorAll(".hq-quiz, .hq-progress").forEach(start);
})();
