// The members' section: opens the build's encrypted keyring, pages, index and
// files. Format version 2; the design and its threats ([GPU], [PROFILE],
// [GROUP]) are described in plugins/members_area/crypto.py.
//
// * The password is read once, NFC-normalised, and the field is emptied (and
//   set back to type=password) before the key derivation starts, and again on
//   pagehide; while it is shown it is autocomplete="off". So it never reaches
//   the browser's session files. [PROFILE]
// * Argon2id (hash-wasm, vendored) turns it into a key-encryption key (KEK)
//   for one slot of the chosen group; the browser refuses parameters below
//   OWASP's minimum, so a tampered keyring cannot ask for a cheap key. [GPU]
// * The KEK never goes into IndexedDB, whose LevelDB files keep a deleted
//   record's bytes. Each login makes a non-extractable AES-KW wrapping key,
//   kept in IndexedDB (one record per group: a login can hold several), and
//   writes the KEK wrapped with it into a file of the origin private file
//   system (OPFS). Logout and expiry delete the file: a profile copied
//   afterwards holds the wrapping key alone, which opens nothing. [PROFILE]
// * A stored key lives at most until its rotation period ends (the keyring's
//   "ends"), by this browser's clock, even if the site still serves that
//   keyring because a build failed; a keyring already past its end, or a
//   browser without OPFS (some private windows), keeps the key in this page
//   only. A stored key also opens nothing built after its period, nor after
//   the password changes; it is then deleted and the form shown. [PROFILE]
// * Without "Muista minut" a record belongs to this browser session (an id in
//   sessionStorage, shared with this site's other open tabs on request): after
//   the browser is closed this script no longer uses it; after 2 hours without
//   use it is deleted. Until logout, the next visit or that expiry deletes its
//   file, a profile copied after closing still holds it (unwrappable by hand):
//   hence the private-window advice for shared computers. With it: 30 days. An open tab locks itself when its login expires
//   (timer and visibilitychange); logout deletes every stored key and tells
//   every open tab to lock. [PROFILE]
// * Envelopes do not name their group: each one is tried with the keys held.
(function () {
  "use strict";

  var VERSION = 2;
  var PREFIX = "kl-members/v" + VERSION;
  var MIN_KDF = { memory: 19456, iterations: 2, parallelism: 1 };
  var MAX_KDF = { memory: 1048576, iterations: 20, parallelism: 4 };
  var DB_NAME = "kl-jasenalue";
  var STORE = "keys";
  var SESSION_MS = 2 * 60 * 60 * 1000;
  var REMEMBER_MS = 30 * 24 * 60 * 60 * 1000;
  var TAB_KEY = "kl-jasenalue-istunto";
  var CHANNEL = "kl-jasenalue";
  var PEER_WAIT_MS = 250;
  var KEY_FOLDER = "kl-jasenalue";  // OPFS: the wrapped keys

  var root = document.querySelector("[data-members]");
  if (!root) return;
  var text = function (name) { return root.getAttribute("data-text-" + name) || ""; };
  var form = root.querySelector("[data-login]");
  var loginHome = form.parentNode;
  var loginNext = form.nextSibling;
  var formHeading = form.querySelector("[data-login-heading]");
  var errorBox = root.querySelector("[data-error]");
  var progress = root.querySelector("[data-progress]");
  var content = root.querySelector("[data-content]");
  var session = root.querySelector("[data-session]");
  var addGroup = root.querySelector("[data-add-group]");
  var title = document.getElementById("members-title");
  var originalTitle = title.textContent;
  var originalDocumentTitle = document.title;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  var broadcast = "BroadcastChannel" in window ? new BroadcastChannel(CHANNEL) : null;

  if (!window.isSecureContext || !window.crypto || !window.crypto.subtle || !window.indexedDB ||
      !window.WebAssembly || !window.hashwasm) {
    root.querySelector("[data-unsupported]").hidden = false;
    return;
  }

  var keyring = null;
  var keys = {};  // group -> content key (CryptoKey) held by this tab
  var pageOnly = {};  // group -> true: its key is in this page's memory only, never stored
  var expiryTimer = null;

  // --- encoding and crypto ---------------------------------------------------

  function bytes(b64) {
    var raw = atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function aad(parts) { return encoder.encode([PREFIX].concat(parts).join("|")); }

  function checkKdf(kdf) {
    if (!kdf || kdf.name !== "Argon2id") throw new Error("format");
    Object.keys(MIN_KDF).forEach(function (name) {
      var value = kdf[name];
      if (!Number.isInteger(value) || value < MIN_KDF[name] || value > MAX_KDF[name]) throw new Error("format");
    });
  }

  function deriveKek(password, saltB64) {
    var kdf = keyring.kdf;
    return window.hashwasm.argon2id({
      password: password, salt: bytes(saltB64), parallelism: kdf.parallelism,
      iterations: kdf.iterations, memorySize: kdf.memory, hashLength: 32, outputType: "binary"
    }).then(function (raw) {
      // Extractable so that it can be wrapped for storage (storeKey); it never leaves this page unwrapped.
      return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, true, ["unwrapKey"])
        .then(function (kek) { raw.fill(0); return kek; });
    });
  }

  function unwrapSlot(kek, group, slot) {
    return crypto.subtle.unwrapKey("raw", bytes(slot.data), kek,
      { name: "AES-GCM", iv: bytes(slot.iv), additionalData: aad(["slot", group, slot.salt]) },
      { name: "AES-GCM" }, false, ["decrypt"]);
  }

  function openJson(key, sealed, associated) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(sealed.iv), additionalData: associated },
      key, bytes(sealed.data)).then(function (plain) { return JSON.parse(decoder.decode(plain)); });
  }

  // The first envelope this group's key opens (envelopes do not say whose they are).
  function openWith(group, envelopes, associated) {
    return envelopes.reduce(function (chain, sealed) {
      return chain.then(function (found) {
        if (found) return found;
        return openJson(keys[group], sealed, associated).then(null, function () { return null; });
      });
    }, Promise.resolve(null));
  }

  // The first envelope any held key opens, as [group, data]; null when none does.
  function openAny(envelopes, aadFor) {
    return Object.keys(keys).reduce(function (chain, group) {
      return chain.then(function (found) {
        if (found) return found;
        return openWith(group, envelopes, aadFor(group)).then(function (data) {
          return data && [group, data];
        });
      });
    }, Promise.resolve(null));
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

  // --- stored keys ---------------------------------------------------------------

  function database() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 3);
      request.onupgradeneeded = function (event) {
        var db = request.result;
        if (db.objectStoreNames.contains("session")) db.deleteObjectStore("session");  // format 1
        // Version 2 kept the KEK itself in a record: those records go.
        if (event.oldVersion < 3 && db.objectStoreNames.contains(STORE)) db.deleteObjectStore(STORE);
        db.createObjectStore(STORE);
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(mode, action) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = action(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(result && result.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  // A visitor who never logged in gets no database: look before opening one.
  function databaseExists() {
    if (!indexedDB.databases) return Promise.resolve(true);
    return indexedDB.databases().then(function (list) {
      return list.some(function (db) { return db.name === DB_NAME; });
    }, function () { return true; });
  }

  function storedRecords() {
    var records = {};
    return databaseExists().then(function (exists) {
      if (!exists) return records;
      return readRecords(records);
    });
  }

  function readRecords(records) {
    return store("readonly", function (s) {
      var cursor = s.openCursor();
      cursor.onsuccess = function () {
        if (!cursor.result) return;
        records[cursor.result.key] = cursor.result.value;
        cursor.result.continue();
      };
    }).then(function () { return records; });
  }

  function saveRecord(group, record) { return store("readwrite", function (s) { return s.put(record, group); }); }

  function deleteRecord(group) { return store("readwrite", function (s) { return s.delete(group); }); }

  // --- wrapped keys in the origin private file system ---------------------------

  function keyFolder(create) {
    return navigator.storage.getDirectory().then(function (root) {
      return root.getDirectoryHandle(KEY_FOLDER, { create: create });
    });
  }

  function writeKeyFile(name, data) {
    return keyFolder(true).then(function (folder) {
      return folder.getFileHandle(name, { create: true });
    }).then(function (file) { return file.createWritable(); }).then(function (writable) {
      return writable.write(data).then(function () { return writable.close(); });
    });
  }

  function readKeyFile(name) {
    return keyFolder(false).then(function (folder) { return folder.getFileHandle(name); })
      .then(function (file) { return file.getFile(); })
      .then(function (file) { return file.arrayBuffer(); });
  }

  function deleteKeyFile(name) {
    if (!name || !navigator.storage || !navigator.storage.getDirectory) return Promise.resolve();
    return keyFolder(false).then(function (folder) { return folder.removeEntry(name); })
      .catch(function () { /* already gone */ });
  }

  function randomName() {
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  // The end of the keyring's rotation period by this browser's clock (0: unknown, so no storing).
  function periodEnd() {
    var end = Date.parse(keyring.ends);
    return isNaN(end) ? 0 : end;
  }

  // A group's stored key goes: its wrapped key's file and its record.
  function forget(group, record) {
    return deleteKeyFile(record && record.file).then(function () { return deleteRecord(group); });
  }

  // Wrap the KEK with a new non-extractable AES-KW key; the wrapped bytes go to
  // a file, never to IndexedDB. Without a usable period or OPFS: this page only.
  function storeKey(group, kek, salt, remember, old) {
    var now = Date.now();
    var expires = Math.min(now + (remember ? REMEMBER_MS : SESSION_MS), periodEnd());
    var file = randomName();
    return forget(group, old).then(function () {
      if (!(expires > now) || !navigator.storage || !navigator.storage.getDirectory) throw new Error("page-only");
      return crypto.subtle.generateKey({ name: "AES-KW", length: 256 }, false, ["wrapKey", "unwrapKey"]);
    }).then(function (wrapping) {
      return crypto.subtle.wrapKey("raw", kek, wrapping, "AES-KW").then(function (wrapped) {
        return writeKeyFile(file, wrapped);
      }).then(function () {
        return saveRecord(group, { wrap: wrapping, file: file, salt: salt, remember: remember,
                                   expires: expires, session: remember ? null : ensureTabSession() });
      });
    }).catch(function () {
      pageOnly[group] = true;
      return deleteKeyFile(file);
    });
  }

  // Logout: every wrapped key's file and the whole database go, not just its records.
  function forgetAll() {
    keys = {};
    pageOnly = {};
    try { sessionStorage.removeItem(TAB_KEY); } catch (e) { /* storage disabled */ }
    var files = navigator.storage && navigator.storage.getDirectory ? navigator.storage.getDirectory()
      .then(function (root) { return root.removeEntry(KEY_FOLDER, { recursive: true }); })
      .catch(function () { /* nothing stored */ }) : Promise.resolve();
    return files.then(function () {
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    });
  }

  function tabSession() {
    try { return sessionStorage.getItem(TAB_KEY); } catch (e) { return null; }
  }

  function ensureTabSession() {
    var id = tabSession();
    if (id) return id;
    var random = crypto.getRandomValues(new Uint8Array(16));
    id = Array.prototype.map.call(random, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    try { sessionStorage.setItem(TAB_KEY, id); } catch (e) { /* works for this page only */ }
    return id;
  }

  // A tab opened by typing the address has no session id yet: ask the others.
  function askPeers() {
    if (!broadcast) return Promise.resolve(null);
    return new Promise(function (resolve) {
      var done = false;
      var answer = new BroadcastChannel(CHANNEL);
      answer.onmessage = function (event) {
        if (!done && event.data && event.data.type === "session" && event.data.id) {
          done = true;
          answer.close();
          resolve(event.data.id);
        }
      };
      broadcast.postMessage({ type: "session?" });
      setTimeout(function () { if (!done) { done = true; answer.close(); resolve(null); } }, PEER_WAIT_MS);
    });
  }

  function usable(record, tabId, now) {
    return record && record.expires > now && (record.remember || (tabId && record.session === tabId));
  }

  // Opens what the stored keys still open; removes those that are dead.
  function loadStored() {
    var now = Date.now();
    return storedRecords().then(function (records) {
      var groups = Object.keys(records);
      var needsSession = groups.some(function (g) { return !records[g].remember && records[g].expires > now; });
      var tabId = needsSession ? tabSession() : null;  // no storage is touched before a login
      var sessionId = needsSession && !tabId ? askPeers() : Promise.resolve(tabId);
      return sessionId.then(function (id) {
        if (id && !tabId) { try { sessionStorage.setItem(TAB_KEY, id); } catch (e) { /* ignore */ } }
        return Promise.all(groups.map(function (group) {
          var record = records[group];
          if (record.expires <= now || !record.wrap) return forget(group, record);
          if (!usable(record, id, now)) return null;  // another browser session's: it expires
          var slot = (keyring.groups[group] || { slots: [] }).slots.filter(function (s) {
            return s.salt === record.salt;
          })[0];
          if (!slot) return forget(group, record);  // rotated away or password changed
          return readKeyFile(record.file).then(function (wrapped) {
            return crypto.subtle.unwrapKey("raw", wrapped, record.wrap, "AES-KW", { name: "AES-GCM" },
                                           false, ["unwrapKey"]);
          }).then(function (kek) { return unwrapSlot(kek, group, slot); }).then(function (key) {
            keys[group] = key;
            if (!record.remember) {  // 2 hours from the last use, within the period
              record.expires = Math.min(now + SESSION_MS, periodEnd());
              return saveRecord(group, record);
            }
          }, function () { return forget(group, record); });
        }));
      });
    });
  }

  function login(group, password, remember) {
    var entry = keyring.groups[group];
    var slots = entry ? entry.slots : [];
    return slots.reduce(function (chain, slot) {
      return chain.then(function (found) {
        if (found) return found;
        return deriveKek(password, slot.salt).then(function (kek) {
          return unwrapSlot(kek, group, slot).then(function (key) {
            return { kek: kek, key: key, salt: slot.salt };
          }, function () { return null; });
        });
      });
    }, Promise.resolve(null)).then(function (found) {
      if (!found) throw new Error("wrong");
      keys[group] = found.key;
      return storedRecords().then(function (records) {
        return storeKey(group, found.kek, found.salt, remember, records[group]);
      });
    });
  }

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

  function renderIndex() {
    return fetchJson(root.getAttribute("data-index")).then(checkVersion).then(function (index) {
      var groups = Object.keys(keys);
      return Promise.all(groups.map(function (group) {
        return openWith(group, index.envelopes, aad(["index", group]));
      })).then(function (parts) {
        if (parts.some(function (part) { return part === null; })) throw new Error("tampered");
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

  function renderItem() {
    var itemUrl = root.getAttribute("data-item-url");
    return fetchJson(root.getAttribute("data-item")).then(checkVersion).then(function (data) {
      return openAny(data.envelopes, function (group) { return aad(["page", itemUrl, group]); });
    }).then(function (found) {
      if (found) return drawItem(checkVersion(found[1]));
      // No held key opens it: another group's page, or one of ours that was altered.
      return listedFor(itemUrl).then(function (ours) {
        if (ours) throw new Error("tampered");
        showError(text("not-yours"));
        if (addGroup && !addGroup.hidden) addGroup.open = true;
      });
    });
  }

  // Whether the index of a held group lists this page.
  function listedFor(itemUrl) {
    return fetchJson(root.getAttribute("data-index")).then(checkVersion).then(function (index) {
      return Promise.all(Object.keys(keys).map(function (group) {
        return openWith(group, index.envelopes, aad(["index", group]));
      }));
    }).then(function (parts) {
      return parts.some(function (part) {
        return part && part.items.some(function (item) { return item.url === itemUrl; });
      });
    });
  }

  function drawItem(item) {
    var view = document.getElementById("members-item-template").content.cloneNode(true);
    title.textContent = item.title;
    var crumb = document.querySelector(".breadcrumbs [aria-current]");
    if (crumb) crumb.textContent = item.title;
    document.title = item.title + " – " + originalDocumentTitle.split(" – ").slice(-1)[0];
    var date = fill(view, "date", item.date_text);
    date.setAttribute("datetime", item.date);
    fill(view, "groups", groupNames(item.groups));
    // Our own build's HTML, sanitised there (plugins/members_area/sanitize.py).
    view.querySelector('[data-field="html"]').innerHTML = item.html;
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
        // The ciphertext is padded to a size bucket; the page knows the real size.
        var blob = new Blob([plain.slice(0, file.size)], { type: file.type });
        var url = URL.createObjectURL(blob);
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

  // --- the login form -------------------------------------------------------------

  function setPasswordVisible(visible) {
    var input = form.elements.password;
    var toggle = form.querySelector("[data-toggle-password]");
    input.type = visible ? "text" : "password";
    // A shown password is a text field, whose value Chromium keeps in its
    // session files for restoring the tab (and once there, in the file's log)
    // unless the field is autocomplete="off". [PROFILE]
    input.setAttribute("autocomplete", visible ? "off" : "current-password");
    toggle.setAttribute("aria-pressed", visible ? "true" : "false");
  }

  // Nothing of the password stays in the page: not the value, not a text field.
  function clearPassword() {
    form.elements.password.value = "";
    setPasswordVisible(false);
  }

  // Logged in, the form opens another group's content; the select offers the rest.
  function placeForm() {
    var open = Object.keys(keys);
    var select = form.elements.group;
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var held = open.indexOf(option.value) !== -1;
      option.disabled = held;
      option.hidden = held;
      if (!held && first === null) first = option;
    });
    if (select.selectedOptions[0] && select.selectedOptions[0].disabled && first) first.selected = true;
    formHeading.hidden = open.length > 0;  // the details' summary names it then
    if (open.length) {
      addGroup.hidden = first === null;
      addGroup.appendChild(form);
      form.hidden = first === null;
    } else {
      addGroup.hidden = true;
      addGroup.open = false;
      loginHome.insertBefore(form, loginNext);
      form.hidden = false;
    }
  }

  function scheduleExpiry() {
    clearTimeout(expiryTimer);
    storedRecords().then(function (records) {
      var soonest = Object.keys(keys).reduce(function (min, group) {
        if (pageOnly[group]) return min;  // ends with this page
        return records[group] ? Math.min(min, records[group].expires) : Date.now();
      }, Infinity);
      if (soonest === Infinity) return;
      expiryTimer = setTimeout(checkExpiry, Math.max(0, Math.min(soonest - Date.now(), 2147483647)));
    }).catch(function () { /* the storage went away: checkExpiry on the next visit */ });
  }

  // A login that has run out locks the tab, even if nobody touches it.
  function checkExpiry() {
    if (!Object.keys(keys).length) return Promise.resolve();
    return storedRecords().then(function (records) {
      var now = Date.now();
      var tabId = tabSession();
      var lost = Object.keys(keys).filter(function (group) {
        return !pageOnly[group] && !usable(records[group], tabId, now);
      });
      if (!lost.length) return scheduleExpiry();
      lost.forEach(function (group) { delete keys[group]; });
      return Promise.all(lost.map(function (group) { return forget(group, records[group]); })).then(function () {
        if (Object.keys(keys).length) return unlocked();
        lock(text("expired"));
      });
    }).catch(function () { lock(text("expired")); });
  }

  function unlocked() {
    var groups = Object.keys(keys);
    session.hidden = false;
    session.querySelector("[data-groups]").textContent = groupNames(groups);
    placeForm();
    var intro = root.querySelector("[data-public-intro]");
    if (intro) intro.hidden = true;
    scheduleExpiry();
    var render = root.hasAttribute("data-item") ? renderItem() : renderIndex();
    return render.catch(function (error) { showError(messageFor(error)); });
  }

  function lock(message) {
    keys = {};
    pageOnly = {};
    clearTimeout(expiryTimer);
    content.textContent = "";
    session.hidden = true;
    form.reset();
    clearPassword();
    placeForm();
    title.textContent = originalTitle;
    document.title = originalDocumentTitle;
    var intro = root.querySelector("[data-public-intro]");
    if (intro) intro.hidden = false;
    errorBox.textContent = "";
    progress.textContent = message || "";
  }

  // hash-wasm compiles its WebAssembly on first use: do that while the member
  // types, with a derivation too small to be anything but a warm-up.
  function warmUp() {
    window.hashwasm.argon2id({ password: "", salt: new Uint8Array(8), parallelism: 1, iterations: 1,
                               memorySize: 8, hashLength: 4, outputType: "binary" }).catch(function () {});
  }

  function start() {
    return fetchJson(root.getAttribute("data-keyring")).then(function (data) {
      keyring = checkVersion(data);
      checkKdf(keyring.kdf);
      return loadStored().catch(function () { return null; });
    }).then(function () {
      if (!Object.keys(keys).length) { lock(); warmUp(); return; }
      return unlocked();
    }).catch(function (error) { showError(messageFor(error)); });
  }

  form.querySelector("[data-toggle-password]").addEventListener("click", function () {
    setPasswordVisible(form.elements.password.type === "password");
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var password = form.elements.password.value.normalize("NFC");
    var group = form.elements.group.value;
    clearPassword();  // before the derivation: the password leaves the page now
    errorBox.textContent = "";
    if (!password) {
      errorBox.textContent = text("empty");
      form.elements.password.focus();
      return;
    }
    var remember = form.elements.remember.checked;
    var firstLogin = !Object.keys(keys).length;
    form.setAttribute("aria-busy", "true");
    progress.textContent = text("progress");
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true; });
    login(group, password, remember).then(function () {
      password = null;
      progress.textContent = text("unlocked");
      if (broadcast) broadcast.postMessage({ type: "login" });
      form.elements.remember.checked = false;
      return unlocked().then(function () { if (firstLogin) title.focus(); else content.focus(); });
    }).catch(function (error) {
      progress.textContent = "";
      errorBox.textContent = error.message === "wrong" ? text("wrong") : messageFor(error);
    }).then(function () {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
      placeForm();
      if (!form.hidden && errorBox.textContent) form.elements.password.focus();
    });
  });

  root.querySelector("[data-logout]").addEventListener("click", function () {
    forgetAll().then(function () {
      if (broadcast) broadcast.postMessage({ type: "logout" });
      lock(text("logged-out"));
      form.elements.password.focus();
    });
  });

  if (broadcast) {
    broadcast.onmessage = function (event) {
      var message = event.data || {};
      if (message.type === "logout") {
        try { sessionStorage.removeItem(TAB_KEY); } catch (e) { /* ignore */ }
        lock(text("logged-out"));
      } else if (message.type === "session?" && tabSession()) {
        broadcast.postMessage({ type: "session", id: tabSession() });
      } else if (message.type === "login" && keyring) {
        loadStored().then(function () { if (Object.keys(keys).length) unlocked(); });
      }
    };
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") checkExpiry();
  });
  window.addEventListener("pagehide", clearPassword);
  // A page restored from the back-forward cache must not show what a logout closed.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { lock(); start(); } });

  start();
})();
