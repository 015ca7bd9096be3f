// The members' section: opens the build's encrypted keyring, pages, index and
// files with WebCrypto. Format version 1 (plugins/members_area/crypto.py).
//
// * The password never leaves this page: PBKDF2 turns it into a key-encryption
//   key (KEK), a non-extractable CryptoKey that only unwraps the groups' keys.
// * The KEK is kept in IndexedDB (never the password, never a raw key, never
//   localStorage, sessionStorage or the URL): for 2 hours of inactivity, or for
//   30 days with "Muista minut". "Kirjaudu ulos" deletes it and tells every
//   open tab to lock.
(function () {
  "use strict";

  var VERSION = 1;
  var PREFIX = "kl-members/v" + VERSION;
  var DB_NAME = "kl-jasenalue";
  var STORE = "session";
  var SESSION_MS = 2 * 60 * 60 * 1000;
  var REMEMBER_MS = 30 * 24 * 60 * 60 * 1000;
  var CHANNEL = "kl-jasenalue";

  var root = document.querySelector("[data-members]");
  if (!root) return;
  var text = function (name) { return root.getAttribute("data-text-" + name) || ""; };
  var form = root.querySelector("[data-login]");
  var errorBox = root.querySelector("[data-error]");
  var progress = root.querySelector("[data-progress]");
  var content = root.querySelector("[data-content]");
  var session = root.querySelector("[data-session]");
  var title = document.getElementById("members-title");
  var originalTitle = title.textContent;
  var originalDocumentTitle = document.title;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  var broadcast = "BroadcastChannel" in window ? new BroadcastChannel(CHANNEL) : null;

  if (!window.isSecureContext || !window.crypto || !window.crypto.subtle || !window.indexedDB) {
    root.querySelector("[data-unsupported]").hidden = false;
    return;
  }

  // --- encoding and crypto ---------------------------------------------------

  function bytes(b64) {
    var raw = atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function aad(parts) { return encoder.encode([PREFIX].concat(parts).join("|")); }

  function deriveKek(password, kdf) {
    return crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveKey"])
      .then(function (base) {
        return crypto.subtle.deriveKey(
          { name: "PBKDF2", hash: kdf.hash, salt: bytes(kdf.salt), iterations: kdf.iterations },
          base, { name: "AES-GCM", length: 256 }, false, ["unwrapKey"]);
      });
  }

  // The groups whose slot this KEK opens: {group: CryptoKey}.
  function openGroups(keyring, kek) {
    var keys = {};
    var groups = Object.keys(keyring.groups);
    return groups.reduce(function (chain, group) {
      return chain.then(function () {
        var slots = keyring.groups[group].slots;
        return slots.reduce(function (tries, slot, index) {
          return tries.then(function (done) {
            if (done) return true;
            return crypto.subtle.unwrapKey("raw", bytes(slot.data), kek,
              { name: "AES-GCM", iv: bytes(slot.iv), additionalData: aad(["slot", group, index]) },
              { name: "AES-GCM" }, false, ["decrypt"])
              .then(function (key) { keys[group] = key; return true; },
                    function () { return false; });
          });
        }, Promise.resolve(false));
      });
    }, Promise.resolve()).then(function () { return keys; });
  }

  function openJson(key, sealed, associated) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(sealed.iv), additionalData: associated },
      key, bytes(sealed.data)).then(function (plain) { return JSON.parse(decoder.decode(plain)); });
  }

  function fetchJson(url) {
    return fetch(url, { cache: "no-cache", credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("network");
      return response.json();
    }).catch(function (error) {
      throw error instanceof SyntaxError ? new Error("format") : new Error("network");
    });
  }

  function checkVersion(data) {
    if (!data || data.v !== VERSION) throw new Error("format");
    return data;
  }

  // --- the stored key ---------------------------------------------------------

  function database() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(mode, action) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = action(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request && request.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function saveKek(kek, salt, remember) {
    var record = { kek: kek, salt: salt, remember: remember,
                   expires: Date.now() + (remember ? REMEMBER_MS : SESSION_MS) };
    return store("readwrite", function (s) { return s.put(record, "current"); });
  }

  function loadKek(salt) {
    return store("readonly", function (s) { return s.get("current"); }).then(function (record) {
      if (!record || record.salt !== salt || record.expires < Date.now()) {
        return forget().then(function () { return null; });
      }
      if (!record.remember) return saveKek(record.kek, salt, false).then(function () { return record.kek; });
      return record.kek;
    });
  }

  function forget() { return store("readwrite", function (s) { return s.delete("current"); }); }

  // --- rendering ----------------------------------------------------------------

  function label(selector) {
    var node = document.getElementById("members-kinds").content.querySelector(selector);
    return node ? node.textContent : "";
  }

  function groupNames(groups) {
    return groups.map(function (g) { return label('[data-group="' + g + '"]') || g; }).join(", ");
  }

  function fill(node, field, value) {
    var target = node.querySelector('[data-field="' + field + '"]');
    if (target) target.textContent = value;
    return target;
  }

  function showError(message) {
    content.textContent = "";
    var p = document.createElement("p");
    p.className = "notice notice--alert";
    p.setAttribute("role", "alert");
    p.textContent = message;
    content.appendChild(p);
  }

  function messageFor(error) {
    if (error && error.message === "network") return text("network");
    if (error && error.message === "format") return text("format");
    return text("tampered");
  }

  function renderIndex(keys) {
    return fetchJson(root.getAttribute("data-index")).then(checkVersion).then(function (index) {
      var groups = Object.keys(keys).filter(function (g) { return index.envelopes[g]; });
      return Promise.all(groups.map(function (group) {
        return openJson(keys[group], index.envelopes[group], aad(["index", group]));
      })).then(function (parts) {
        var items = {}, events = [], channels = [];
        parts.forEach(function (part) {
          part.items.forEach(function (item) { items[item.id] = item; });
          events = events.concat(part.events);
          channels = channels.concat(part.channels);
        });
        var list = Object.keys(items).map(function (id) { return items[id]; });
        list.sort(function (a, b) { return b.date.localeCompare(a.date) || a.title.localeCompare(b.title); });
        drawIndex(list, groups, events, channels);
      });
    });
  }

  function drawIndex(items, groups, events, channels) {
    var view = document.getElementById("members-index-template").content.cloneNode(true);
    var select = view.querySelector("select[name=group]");
    groups.forEach(function (group) {
      var option = document.createElement("option");
      option.value = group;
      option.textContent = groupNames([group]);
      select.appendChild(option);
    });
    var listNode = view.querySelector("[data-items]");
    var entryTemplate = document.getElementById("members-entry-template").content;
    var entries = items.map(function (item) {
      var node = entryTemplate.cloneNode(true).firstElementChild;
      var link = fill(node, "link", item.title);
      link.href = root.getAttribute("data-siteurl") + "/" + item.url;
      fill(node, "kind", label('[data-kind="' + item.kind + '"]'));
      fill(node, "date", item.date_text).setAttribute("datetime", item.date);
      fill(node, "groups", groupNames(item.groups));
      fill(node, "summary", item.summary);
      listNode.appendChild(node);
      var haystack = [item.title, item.summary, item.text, item.tags.join(" "),
                      item.files.map(function (f) { return f.name; }).join(" ")].join(" ").toLowerCase();
      return { node: node, item: item, haystack: haystack };
    });
    var count = view.querySelector("[data-count]");
    var filter = view.querySelector("[data-filter]");
    function apply() {
      var group = select.value;
      var words = filter.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      entries.forEach(function (entry) {
        var match = (!group || entry.item.groups.indexOf(group) !== -1) &&
          words.every(function (w) { return entry.haystack.indexOf(w) !== -1; });
        entry.node.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = text("count").replace("{shown}", shown).replace("{total}", entries.length);
    }
    filter.addEventListener("input", apply);  // a <select> fires "input" as well
    filter.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
    if (events.length) {
      events.sort(function (a, b) { return a.first.localeCompare(b.first); });
      var eventList = view.querySelector("[data-events]");
      events.forEach(function (event) {
        var li = document.createElement("li");
        li.className = "event-item";
        var h = document.createElement("h3");
        h.className = "event-item__title";
        h.textContent = event.title;
        var meta = document.createElement("p");
        meta.className = "event-item__meta";
        meta.textContent = [event.when, event.location].filter(Boolean).join(" · ");
        li.appendChild(h);
        li.appendChild(meta);
        eventList.appendChild(li);
      });
      view.querySelector("[data-events-section]").hidden = false;
    }
    if (channels.length) {
      var channelList = view.querySelector("[data-channels]");
      channels.forEach(function (channel) {
        var li = document.createElement("li");
        var h = document.createElement("h3");
        if (channel.link) {
          var a = document.createElement("a");
          a.href = channel.link;
          a.textContent = channel.title;
          h.appendChild(a);
        } else {
          h.textContent = channel.title;
        }
        var p = document.createElement("p");
        p.textContent = channel.summary;
        li.appendChild(h);
        li.appendChild(p);
        channelList.appendChild(li);
      });
      view.querySelector("[data-channels-section]").hidden = false;
    }
    content.textContent = "";
    content.appendChild(view);
  }

  function renderItem(keys) {
    var itemUrl = root.getAttribute("data-item-url");
    return fetchJson(root.getAttribute("data-item")).then(checkVersion).then(function (data) {
      var group = Object.keys(data.envelopes).filter(function (g) { return keys[g]; })[0];
      if (!group) {
        showError(text("not-yours"));
        return false;
      }
      return openJson(keys[group], data.envelopes[group], aad(["page", itemUrl, group])).then(function (item) {
        drawItem(checkVersion(item));
        return true;
      });
    });
  }

  function drawItem(item) {
    var view = document.getElementById("members-item-template").content.cloneNode(true);
    title.textContent = item.title;
    var crumb = document.querySelector(".breadcrumbs [aria-current]");
    if (crumb) crumb.textContent = item.title;
    document.title = item.title + " – " + originalDocumentTitle.split(" – ").slice(-1)[0];
    fill(view, "date", item.date_text).setAttribute("datetime", item.date);
    fill(view, "groups", groupNames(item.groups));
    view.querySelector('[data-field="html"]').innerHTML = item.html;  // our own build's HTML
    view.querySelector('[data-field="back"]').href = root.getAttribute("data-home");
    if (item.attachments.length) {
      var list = view.querySelector("[data-files]");
      item.attachments.forEach(function (file) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button-secondary";
        button.textContent = label("[data-download]").replace("{name}", file.name).replace("{size}", file.size_text);
        button.addEventListener("click", function () { download(file, button); });
        li.appendChild(button);
        list.appendChild(li);
      });
      view.querySelector("[data-files-section]").hidden = false;
    }
    content.textContent = "";
    content.appendChild(view);
  }

  function download(file, button) {
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "download-status";
    status.textContent = " " + text("downloading");
    button.after(status);
    button.disabled = true;
    fetch(root.getAttribute("data-siteurl") + "/" + file.url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("network");
        return response.arrayBuffer();
      })
      .then(function (buffer) {
        var iv = buffer.slice(0, 12), data = buffer.slice(12);
        return crypto.subtle.importKey("raw", bytes(file.key), { name: "AES-GCM" }, false, ["decrypt"])
          .then(function (key) {
            return crypto.subtle.decrypt({ name: "AES-GCM", iv: iv, additionalData: aad(["file", file.id]) }, key, data);
          });
      })
      .then(function (plain) {
        var url = URL.createObjectURL(new Blob([plain], { type: file.type }));
        var a = document.createElement("a");
        a.href = url;
        a.download = file.name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        status.textContent = "";
      })
      .catch(function (error) { status.textContent = " " + messageFor(error); })
      .then(function () { button.disabled = false; });
  }

  // --- flow ----------------------------------------------------------------------

  var keyring = null;

  function unlocked(keys) {
    var groups = Object.keys(keys);
    session.hidden = false;
    session.querySelector("[data-groups]").textContent = groupNames(groups);
    form.hidden = true;
    var intro = root.querySelector("[data-public-intro]");
    if (intro) intro.hidden = true;
    var render = root.hasAttribute("data-item") ? renderItem(keys) : renderIndex(keys);
    return render.catch(function (error) { showError(messageFor(error)); })
      .then(function () { title.focus(); });
  }

  function lock(message) {
    content.textContent = "";
    session.hidden = true;
    form.hidden = false;
    form.reset();
    setPasswordVisible(false);
    title.textContent = originalTitle;
    document.title = originalDocumentTitle;
    var intro = root.querySelector("[data-public-intro]");
    if (intro) intro.hidden = false;
    errorBox.textContent = "";
    progress.textContent = message || "";
  }

  function setPasswordVisible(visible) {
    var input = form.elements.password;
    var toggle = form.querySelector("[data-toggle-password]");
    input.type = visible ? "text" : "password";
    toggle.setAttribute("aria-pressed", visible ? "true" : "false");
  }

  function start() {
    return fetchJson(root.getAttribute("data-keyring")).then(function (data) {
      keyring = checkVersion(data);
      if (keyring.kdf.name !== "PBKDF2") throw new Error("format");
      return loadKek(keyring.kdf.salt).catch(function () { return null; });
    }).then(function (kek) {
      if (!kek) return lock();
      return openGroups(keyring, kek).then(function (keys) {
        if (Object.keys(keys).length) return unlocked(keys);
        return forget().then(function () { lock(); });
      });
    }).catch(function (error) { showError(messageFor(error)); });
  }

  form.querySelector("[data-toggle-password]").addEventListener("click", function () {
    setPasswordVisible(form.elements.password.type === "password");
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var password = form.elements.password.value;
    errorBox.textContent = "";
    if (!password) {
      errorBox.textContent = text("empty");
      form.elements.password.focus();
      return;
    }
    var remember = form.elements.remember.checked;
    form.setAttribute("aria-busy", "true");
    progress.textContent = text("progress");
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true; });
    deriveKek(password, keyring.kdf).then(function (kek) {
      return openGroups(keyring, kek).then(function (keys) {
        if (!Object.keys(keys).length) throw new Error("wrong");
        return saveKek(kek, keyring.kdf.salt, remember).then(function () {
          progress.textContent = text("unlocked");
          return unlocked(keys);
        });
      });
    }).catch(function (error) {
      progress.textContent = "";
      errorBox.textContent = error.message === "wrong" ? text("wrong") : messageFor(error);
      form.elements.password.select();
    }).then(function () {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
      if (!form.hidden) form.elements.password.focus();
    });
  });

  root.querySelector("[data-logout]").addEventListener("click", function () {
    forget().then(function () {
      if (broadcast) broadcast.postMessage("logout");
      lock(text("logged-out"));
      form.elements.password.focus();
    });
  });

  if (broadcast) {
    broadcast.onmessage = function (event) { if (event.data === "logout") lock(text("logged-out")); };
  }
  // A page restored from the back-forward cache must not show what a logout closed.
  window.addEventListener("pageshow", function (event) { if (event.persisted) start(); });

  start();
})();
