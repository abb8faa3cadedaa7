/* Rehabit guided exercise player. Progressive enhancement: without this script the page
 * lists the exercises and offers the log form; with it, a player counts holds, rests and
 * repetitions one exercise at a time. The script of steps comes from the server
 * (rehabit/care/player.py) in the #player-data JSON block; every text shown or announced
 * is translated there. Keyboard: Space pauses and resumes (on a focused button it presses
 * that button), Left/Right arrows move to the previous/next exercise. A polite live region
 * announces each step and the time left (every 5 seconds, then the last 3). While the
 * session runs the screen is kept on (Screen Wake Lock API, where the browser has it);
 * pausing or finishing lets it sleep again.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("player-data");
  var root = document.getElementById("player");
  if (!dataNode || !root) return;
  var data = JSON.parse(dataNode.textContent);
  var exercises = data.exercises || [];
  var t = data.strings || {};
  if (!exercises.length) return;

  function $(id) { return document.getElementById(id); }
  var el = {
    start: $("player-start"),
    begin: $("player-begin"),
    list: $("exercise-list"),
    log: $("log"),
    logTitle: $("log-title"),
    position: $("player-position"),
    title: $("player-title"),
    image: $("player-image"),
    link: $("player-link"),
    dosage: $("player-dosage"),
    maxPain: $("player-max-pain"),
    note: $("player-note"),
    instructions: $("player-instructions"),
    phase: $("player-phase"),
    detail: $("player-detail"),
    time: $("player-time"),
    ring: $("timer-bar"),
    reps: $("player-reps"),
    repCount: $("rep-count"),
    count: $("player-count"),
    toggle: $("player-toggle"),
    skip: $("player-skip"),
    prev: $("player-prev"),
    next: $("player-next"),
    finish: $("player-finish"),
    sound: $("player-sound"),
    live: $("player-live"),
    stepsDone: $("player-steps-done")
  };

  var RING = 2 * Math.PI * 52; // circumference of the ring (r = 52 in the SVG)
  var state = {
    index: 0, // exercise
    step: -1, // -1: getting ready
    status: "ready", // ready | running | paused | finished
    deadline: 0,
    remaining: 0, // ms left in a timed step (kept while paused)
    lastSecond: null,
    count: 0, // repetitions counted in a reps step
    done: {}, // exercise id -> true when its steps were played, at least one of them done
    worked: false, // a hold, timed part or set of the current exercise was done
    timer: null
  };
  var audio = null;
  var wakeLock = null;
  var wakeLockAsked = false;

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : m;
    });
  }
  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function announce(text) {
    // Clear first so the same words are announced again.
    el.live.textContent = "";
    window.setTimeout(function () { el.live.textContent = text; }, 50);
  }
  function beep(frequency, length) {
    if (!el.sound.checked) return;
    try {
      if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = frequency;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + length);
    } catch (e) { /* no sound available: the visual and spoken cues remain */ }
  }

  // Keep the screen on while the session runs: a hold of 30 seconds with no touch would
  // otherwise let a phone dim and lock. Unsupported or refused (hidden page, battery
  // saver): the session runs all the same.
  function screenShouldStayOn() {
    return !root.hidden && (state.status === "running" || state.status === "ready") &&
      document.visibilityState === "visible";
  }
  function syncWakeLock() {
    if (!("wakeLock" in navigator)) return;
    if (screenShouldStayOn()) {
      if (wakeLock || wakeLockAsked) return;
      wakeLockAsked = true;
      navigator.wakeLock.request("screen").then(function (lock) {
        wakeLockAsked = false;
        wakeLock = lock;
        lock.addEventListener("release", function () { if (wakeLock === lock) wakeLock = null; });
        if (!screenShouldStayOn()) syncWakeLock(); // paused or ended meanwhile
      }).catch(function () { wakeLockAsked = false; });
    } else if (wakeLock) {
      var held = wakeLock;
      wakeLock = null;
      held.release().catch(function () { /* already released */ });
    }
  }
  // The browser releases the lock when the page is hidden; take it again on return.
  document.addEventListener("visibilitychange", syncWakeLock);

  function exercise() { return exercises[state.index]; }
  function currentStep() { return state.step >= 0 ? exercise().steps[state.step] : null; }
  function isTimed(step) { return step && typeof step.seconds === "number"; }

  function setRing(fraction) {
    var f = Math.max(0, Math.min(1, fraction));
    el.ring.setAttribute("stroke-dashoffset", String(RING * (1 - f)));
  }

  function renderExercise() {
    var ex = exercise();
    el.position.textContent = fmt(t.exercise_of, { n: state.index + 1, total: exercises.length });
    el.title.textContent = ex.name;
    el.image.src = ex.illustration;
    el.image.alt = ex.alt;
    el.link.href = ex.url;
    el.maxPain.textContent = ex.max_pain_text;
    if (el.note) {
      el.note.textContent = ex.note ? t.note_prefix + " " + ex.note : "";
      el.note.hidden = !ex.note;
    }
    el.dosage.textContent = "";
    ex.dosage.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      el.dosage.appendChild(li);
    });
    el.instructions.textContent = "";
    ex.instructions.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      el.instructions.appendChild(li);
    });
    if (document.activeElement === el.prev && state.index === 0) el.title.focus();
    el.prev.disabled = state.index === 0;
    el.next.disabled = false;
  }

  function renderStep() {
    var step = currentStep();
    var ex = exercise();
    var focused = document.activeElement;
    el.reps.hidden = true;
    el.count.hidden = true;
    if (state.status === "ready") {
      var first = ex.steps[0];
      el.phase.textContent = t.get_ready;
      el.detail.textContent = t.press_start;
      el.time.textContent = isTimed(first) ? clock(first.seconds) : "–";
      setRing(1);
      el.skip.disabled = true;
    } else if (step) {
      el.phase.textContent = step.title;
      el.detail.textContent = step.detail;
      el.skip.disabled = false;
      if (isTimed(step)) {
        var secs = Math.max(0, Math.ceil(state.remaining / 1000));
        el.time.textContent = clock(secs);
        setRing(step.seconds ? state.remaining / (step.seconds * 1000) : 0);
      } else {
        el.time.textContent = state.count + "/" + step.reps;
        setRing(step.reps ? 1 - state.count / step.reps : 0);
        el.reps.hidden = false;
        el.count.hidden = false;
        el.repCount.textContent = fmt(t.reps_counted, { n: state.count, total: step.reps });
      }
    }
    // Steps done plus the part of this one already done, so the bar moves from the first
    // hold on (it showed nothing until the second step).
    var total = ex.steps.length;
    var part = 0;
    if (step && state.status !== "ready") {
      if (isTimed(step)) part = step.seconds ? 1 - state.remaining / (step.seconds * 1000) : 1;
      else part = step.reps ? state.count / step.reps : 0;
    }
    el.stepsDone.max = total;
    el.stepsDone.value = Math.min(total, Math.max(0, state.step) + Math.max(0, Math.min(1, part)));
    el.stepsDone.textContent = fmt(t.step_of, { n: Math.max(0, state.step) + 1, total: total });
    el.toggle.textContent = state.status === "running" ? t.pause : (state.status === "paused" ? t.resume : t.start);
    el.toggle.setAttribute("aria-pressed", state.status === "paused" ? "true" : "false");
    el.skip.textContent = step && step.kind === "rest" ? t.skip_rest : (step && step.kind === "reps" ? t.set_done : t.skip);
    root.setAttribute("data-status", state.status);
    // A button that was just pressed may now be hidden or disabled (the last repetition,
    // "Skip" while getting ready): keep the keyboard focus in the player.
    if (focused && root.contains(focused) && focused !== el.title && (focused.disabled || focused.hidden)) {
      el.toggle.focus();
    }
    syncWakeLock();
  }

  function stopTimer() {
    if (state.timer !== null) { window.clearInterval(state.timer); state.timer = null; }
  }
  function startTimer() {
    stopTimer();
    state.timer = window.setInterval(tick, 250);
  }

  function beginStep(index) {
    var ex = exercise();
    if (index >= ex.steps.length) { exerciseComplete(); return; }
    state.step = index;
    state.count = 0;
    var step = currentStep();
    state.lastSecond = null;
    if (isTimed(step)) {
      state.remaining = step.seconds * 1000;
      state.deadline = Date.now() + state.remaining;
    }
    state.status = "running";
    announce(step.announce);
    renderStep();
    if (isTimed(step)) startTimer(); else stopTimer();
  }

  function tick() {
    if (state.status !== "running") return;
    var step = currentStep();
    if (!isTimed(step)) return;
    state.remaining = Math.max(0, state.deadline - Date.now());
    var secs = Math.ceil(state.remaining / 1000);
    if (secs !== state.lastSecond) {
      if (state.lastSecond !== null && secs > 0 && secs < step.seconds) {
        if (secs <= 3) { announce(String(secs)); beep(660, 0.08); }
        else if (secs % 5 === 0) { announce(fmt(secs === 1 ? t.second_left : t.seconds_left, { n: secs })); }
      }
      state.lastSecond = secs;
    }
    renderStep();
    if (state.remaining <= 0) {
      beep(880, 0.25);
      if (step.kind !== "rest" && step.kind !== "switch") state.worked = true;
      beginStep(state.step + 1);
    }
  }

  // An exercise counts as done in the log when at least one of its holds, timed parts or
  // sets was done, not when every step was skipped (the person can still tick it there).
  function exerciseComplete() {
    stopTimer();
    if (state.worked) state.done[exercise().id] = true;
    if (state.index + 1 >= exercises.length) { finish(); return; }
    state.index += 1;
    state.step = -1;
    state.worked = false;
    state.status = "ready";
    renderExercise();
    renderStep();
    announce(fmt(t.next_up, { name: exercise().name }) + " " + t.press_start);
    el.title.focus();
  }

  function goTo(index) {
    if (index < 0 || index >= exercises.length) return;
    stopTimer();
    state.index = index;
    state.step = -1;
    state.worked = false;
    state.status = "ready";
    renderExercise();
    renderStep();
    announce(fmt(t.exercise_of, { n: index + 1, total: exercises.length }) + ": " + exercise().name + ". " + t.press_start);
  }

  function toggle() {
    if (state.status === "ready") { beginStep(0); return; }
    if (state.status === "running") {
      state.status = "paused";
      stopTimer();
      state.remaining = Math.max(0, state.deadline - Date.now());
      announce(t.paused);
    } else if (state.status === "paused") {
      state.status = "running";
      state.deadline = Date.now() + state.remaining;
      announce(t.resumed);
      if (isTimed(currentStep())) startTimer();
    }
    renderStep();
  }

  function skip() {
    if (state.status === "ready" || state.status === "finished") return;
    stopTimer();
    if (currentStep().kind === "reps") state.worked = true;  // this button says "Set done"
    beginStep(state.step + 1);
  }

  function countRep() {
    var step = currentStep();
    if (!step || step.kind !== "reps" || state.status === "finished") return;
    if (state.status === "paused") { state.status = "running"; }
    state.count += 1;
    if (state.count >= step.reps) {
      beep(880, 0.25);
      state.worked = true;
      beginStep(state.step + 1);
      return;
    }
    el.live.textContent = fmt(t.reps_counted, { n: state.count, total: step.reps });
    renderStep();
  }

  function finish() {
    stopTimer();
    state.status = "finished";
    root.hidden = true;
    syncWakeLock();
    el.list.hidden = false;
    var boxes = el.log.querySelectorAll('input[name="exercise_ids"]');
    Array.prototype.forEach.call(boxes, function (box) { box.checked = !!state.done[box.value]; });
    el.log.hidden = false;
    el.logTitle.setAttribute("tabindex", "-1");
    el.logTitle.focus();
    announce(t.session_done);
  }

  function open() {
    el.start.hidden = true;
    el.list.hidden = true;
    root.hidden = false;
    state.done = {};
    goTo(0);
    el.title.focus();
    // On a small screen bring the player's top to the top, so that Start is in view.
    if (el.toggle.getBoundingClientRect().bottom > window.innerHeight) {
      root.scrollIntoView({ block: "start" });
    }
  }

  function isField(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  // Space on a focused button or link presses it, as everywhere else; the shortcut is for
  // the rest of the page (the exercise title, where the player puts the focus).
  function isControl(target) {
    var tag = target && target.tagName;
    return isField(target) || tag === "BUTTON" || tag === "A" || tag === "SUMMARY";
  }

  document.addEventListener("keydown", function (event) {
    if (root.hidden || event.altKey || event.ctrlKey || event.metaKey || isField(event.target)) return;
    if (event.key === " " || event.key === "Spacebar") {
      if (isControl(event.target)) return;
      event.preventDefault();
      if (!event.repeat) toggle();
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      goTo(state.index + 1);
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      goTo(state.index - 1);
    }
  });
  // The page would scroll on the Space key's release: the keydown above already acted.
  document.addEventListener("keyup", function (event) {
    if (!root.hidden && (event.key === " " || event.key === "Spacebar") && !isControl(event.target)) {
      event.preventDefault();
    }
  });

  el.begin.addEventListener("click", open);
  el.toggle.addEventListener("click", toggle);
  el.skip.addEventListener("click", skip);
  el.count.addEventListener("click", countRep);
  el.prev.addEventListener("click", function () { goTo(state.index - 1); });
  el.next.addEventListener("click", function () {
    if (state.index + 1 >= exercises.length) finish(); else goTo(state.index + 1);
  });
  el.finish.addEventListener("click", finish);
  el.sound.addEventListener("change", function () {
    if (el.sound.checked) beep(660, 0.05); // also unlocks audio on this user gesture
  });

  el.start.hidden = false;
})();
