/*
 * The knee pain assistant's website chat widget.
 *
 * A clinic adds it with one script tag; the tag's data-* attributes are the
 * settings:
 *
 *   <script src="https://assistant.example/widget/knee-widget.js"
 *           data-server="https://assistant.example"   (the Rasa server, required)
 *           data-title="Riverside knee assistant"       (panel heading)
 *           data-primary-colour="#005eb8"               (#rgb or #rrggbb)
 *           data-initial-payload="/greet"               (sent when a new chat opens)
 *           data-socket-path="/socket.io"
 *           data-auth-token="..."     (a JWT, when the server sets SOCKETIO_JWT_KEY)
 *           data-offline-text="..."></script>
 *
 * It talks to Rasa's socket.io channel (session_request / session_confirm,
 * user_uttered / bot_uttered). The session id lives in localStorage and the
 * transcript, as data rather than HTML, is stored under that id, so the
 * conversation survives reloads and navigation. Every message is rendered with
 * text nodes: bot or user text is never parsed as HTML. The panel lives in an
 * open shadow root so the clinic's own CSS cannot restyle it.
 */
(function () {
  "use strict";

  var script =
    document.currentScript || document.querySelector('script[src*="knee-widget.js"]');
  var STORAGE_PREFIX = "kneeWidget:";
  var MAX_STORED_MESSAGES = 200;
  var TYPING_TIMEOUT_MS = 30000;
  var DEFAULT_PRIMARY = "#005eb8";

  // ---------------------------------------------------------------- pure parts

  /** The colour as [r, g, b] (0-255), or null unless it is #rgb or #rrggbb. */
  function parseHexColour(value) {
    var match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
    if (!match) return null;
    var hex = match[1];
    if (hex.length === 3) hex = hex.replace(/./g, "$&$&");
    return [0, 2, 4].map(function (i) {
      return parseInt(hex.slice(i, i + 2), 16);
    });
  }

  /** WCAG 2 relative luminance of an [r, g, b] colour. */
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      var s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  /** WCAG 2 contrast ratio between two hex colours (1 to 21). */
  function contrastRatio(first, second) {
    var a = luminance(parseHexColour(first));
    var b = luminance(parseHexColour(second));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }

  /** Black or white, whichever reads better on the background (always >= 4.5:1). */
  function readableTextColour(background) {
    return contrastRatio(background, "#ffffff") >= contrastRatio(background, "#000000")
      ? "#ffffff"
      : "#000000";
  }

  var URL_PATTERN = /https?:\/\/[^\s<>"']+/gi;
  var TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

  /** The URL if it is a well-formed http(s) address, else null. */
  function safeHttpUrl(candidate) {
    try {
      var url = new URL(candidate);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  /**
   * Splits message text into pieces to render: {type: "text", value},
   * {type: "link", value, href} for http(s) addresses, {type: "break"} for line
   * breaks. Nothing here is HTML; the caller makes text nodes and elements.
   */
  function segments(text) {
    var pieces = [];
    String(text == null ? "" : text)
      .split(/\r\n|\r|\n/)
      .forEach(function (line, index) {
        if (index > 0) pieces.push({ type: "break" });
        var last = 0;
        line.replace(URL_PATTERN, function (match, offset) {
          var trimmed = match.replace(TRAILING_PUNCTUATION, "");
          var href = safeHttpUrl(trimmed);
          if (!href) return match;
          if (offset > last) pieces.push({ type: "text", value: line.slice(last, offset) });
          pieces.push({ type: "link", value: trimmed, href: href });
          last = offset + trimmed.length;
          return match;
        });
        if (last < line.length) pieces.push({ type: "text", value: line.slice(last) });
      });
    return pieces;
  }

  /** Appends the text to ``parent`` as text nodes, <br> and safe links. */
  function renderText(parent, text) {
    var doc = parent.ownerDocument || document;
    segments(text).forEach(function (piece) {
      if (piece.type === "break") {
        parent.appendChild(doc.createElement("br"));
      } else if (piece.type === "link") {
        var link = doc.createElement("a");
        link.href = piece.href;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        link.textContent = piece.value;
        parent.appendChild(link);
      } else {
        parent.appendChild(doc.createTextNode(piece.value));
      }
    });
    return parent;
  }

  /**
   * The element for one transcript entry: {from: "bot" | "user", text,
   * buttons: [{title, payload}], used, chosen, image}. ``onChoose(index)`` is
   * called when a quick reply is clicked.
   */
  function messageElement(message, onChoose, doc) {
    doc = doc || document;
    var item = doc.createElement("div");
    item.className = "kw-msg kw-" + (message.from === "user" ? "user" : "bot");
    var who = doc.createElement("span");
    who.className = "kw-sr";
    who.textContent = message.from === "user" ? "You: " : "Assistant: ";
    item.appendChild(who);
    if (message.text) {
      var body = doc.createElement("p");
      body.className = "kw-text";
      renderText(body, message.text);
      item.appendChild(body);
    }
    var imageSrc = message.image && safeHttpUrl(message.image);
    if (imageSrc) {
      var image = doc.createElement("img");
      image.src = imageSrc;
      image.alt = "Image from the assistant";
      image.className = "kw-image";
      item.appendChild(image);
    }
    if (message.buttons && message.buttons.length) {
      var group = doc.createElement("div");
      group.className = "kw-replies";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested replies");
      message.buttons.forEach(function (button, index) {
        var element = doc.createElement("button");
        element.type = "button";
        element.className = "kw-reply";
        element.textContent = button.title;
        element.disabled = Boolean(message.used);
        if (message.used && message.chosen === index) {
          element.setAttribute("aria-pressed", "true");
        }
        element.addEventListener("click", function () {
          if (onChoose) onChoose(index);
        });
        group.appendChild(element);
      });
      item.appendChild(group);
    }
    return item;
  }

  /** A bot_uttered event from Rasa as a transcript entry (null to ignore it). */
  function fromBotEvent(data) {
    if (!data || typeof data !== "object") return null;
    var entry = { from: "bot", text: typeof data.text === "string" ? data.text : "" };
    var replies = data.quick_replies || data.buttons;
    if (Array.isArray(replies) && replies.length) {
      entry.buttons = replies
        .filter(function (reply) {
          return reply && typeof reply.title === "string";
        })
        .map(function (reply) {
          return { title: reply.title, payload: String(reply.payload || reply.title) };
        });
      entry.used = false;
    }
    var attachment = data.attachment;
    if (attachment && attachment.type === "image" && attachment.payload) {
      entry.image = String(attachment.payload.src || "");
    }
    return entry.text || entry.image || entry.buttons ? entry : null;
  }

  var api = {
    segments: segments,
    renderText: renderText,
    messageElement: messageElement,
    fromBotEvent: fromBotEvent,
    contrastRatio: contrastRatio,
    readableTextColour: readableTextColour,
  };
  window.KneeWidget = api;

  // ------------------------------------------------------------------- storage

  function store(kind) {
    try {
      var storage = window[kind];
      var probe = STORAGE_PREFIX + "probe";
      storage.setItem(probe, "1");
      storage.removeItem(probe);
      return storage;
    } catch (error) {
      var memory = {};
      return {
        getItem: function (key) {
          return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
        },
        setItem: function (key, value) {
          memory[key] = String(value);
        },
        removeItem: function (key) {
          delete memory[key];
        },
      };
    }
  }

  // -------------------------------------------------------------------- widget

  function settingsFromScript(tag) {
    var data = (tag && tag.dataset) || {};
    var server = (data.server || "").replace(/\/+$/, "");
    var colour = data.primaryColour || data.primaryColor;
    return {
      server: server || window.location.origin,
      title: data.title || "Knee pain assistant",
      primary: parseHexColour(colour) ? colour.trim() : DEFAULT_PRIMARY,
      initialPayload: data.initialPayload === undefined ? "/greet" : data.initialPayload,
      socketPath: data.socketPath || "/socket.io",
      authToken: data.authToken || "",
      offlineText:
        data.offlineText ||
        "Can't reach the assistant right now. In an emergency call 999; " +
          "for urgent advice call NHS 111.",
      base: tag && tag.src ? new URL(".", tag.src).href : new URL(".", window.location.href).href,
    };
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(tag);
    });
  }

  function create(tag, element, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) node.textContent = text;
    if (element) element.appendChild(node);
    return node;
  }

  function Widget(settings) {
    this.settings = settings;
    this.local = store("localStorage");
    this.session = store("sessionStorage");
    this.sessionKey = STORAGE_PREFIX + "session:" + settings.server;
    this.openKey = STORAGE_PREFIX + "open:" + settings.server;
    this.sessionId = this.local.getItem(this.sessionKey);
    this.transcript = this.loadTranscript();
    this.confirmed = false;
    this.pending = [];
    this.socket = null;
    this.typingTimer = null;
    this.elements = new WeakMap();
    this.build();
    this.setStatus("");
    this.renderTranscript();
    if (this.session.getItem(this.openKey) === "1") this.open(false);
  }

  Widget.prototype.transcriptKey = function () {
    return STORAGE_PREFIX + "transcript:" + this.sessionId;
  };

  Widget.prototype.loadTranscript = function () {
    if (!this.sessionId) return [];
    try {
      var saved = JSON.parse(this.local.getItem(this.transcriptKey()) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (error) {
      return [];
    }
  };

  Widget.prototype.saveTranscript = function () {
    if (!this.sessionId) return;
    this.transcript = this.transcript.slice(-MAX_STORED_MESSAGES);
    try {
      this.local.setItem(this.transcriptKey(), JSON.stringify(this.transcript));
    } catch (error) {
      // storage full: the conversation goes on, only the saved history is stale
    }
  };

  Widget.prototype.build = function () {
    var settings = this.settings;
    var host = create("div", document.body, { id: "knee-widget", "data-knee-widget": "" });
    var primaryText = readableTextColour(settings.primary);
    host.style.setProperty("--kw-primary", settings.primary);
    host.style.setProperty("--kw-on-primary", primaryText);
    var root = host.attachShadow({ mode: "open" });
    var ready = new Promise(function (resolve) {
      var link = create("link", root, {
        rel: "stylesheet",
        href: new URL("knee-widget.css", settings.base).href,
      });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve);
    });

    var container = create("div", root, { class: "kw-root", hidden: "" });
    ready.then(function () {
      container.hidden = false;
    });
    this.launcher = create(
      "button",
      container,
      { type: "button", class: "kw-launcher", "aria-expanded": "false", "aria-controls": "kw-panel" },
      "Chat: " + settings.title
    );
    var panel = (this.panel = create("section", container, {
      id: "kw-panel",
      class: "kw-panel",
      "aria-labelledby": "kw-title",
      hidden: "",
    }));
    var header = create("div", panel, { class: "kw-header" });
    create("h2", header, { id: "kw-title", class: "kw-title" }, settings.title);
    this.restartButton = create("button", header, { type: "button", class: "kw-header-button" },
      "Start over");
    this.restartButton.setAttribute("aria-label", "Start over and clear this chat from this device");
    this.closeButton = create("button", header, {
      type: "button",
      class: "kw-header-button",
      "aria-label": "Close chat",
    }, "Close");
    this.list = create("div", panel, {
      class: "kw-messages",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
      "aria-label": "Conversation",
      tabindex: "0",
    });
    this.typing = create("div", panel, { class: "kw-typing", hidden: "" });
    create("span", this.typing, { class: "kw-sr" }, "The assistant is typing");
    for (var i = 0; i < 3; i += 1) create("span", this.typing, { class: "kw-dot", "aria-hidden": "true" });
    this.status = create("p", panel, { class: "kw-status", role: "status" });
    var form = (this.form = create("form", panel, { class: "kw-form" }));
    create("label", form, { for: "kw-input", class: "kw-sr" }, "Your message");
    this.input = create("input", form, {
      id: "kw-input",
      class: "kw-input",
      type: "text",
      autocomplete: "off",
      maxlength: "1000",
      placeholder: "Type your message",
    });
    create("button", form, { type: "submit", class: "kw-send" }, "Send");

    var self = this;
    this.launcher.addEventListener("click", function () {
      if (self.panel.hidden) self.open(true);
      else self.close();
    });
    this.closeButton.addEventListener("click", function () {
      self.close();
    });
    this.restartButton.addEventListener("click", function () {
      self.restart();
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") self.close();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) return;
      self.input.value = "";
      self.send(text, text);
    });
  };

  Widget.prototype.open = function (moveFocus) {
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.session.setItem(this.openKey, "1");
    this.scrollToEnd();
    if (moveFocus) this.input.focus();
    this.connect();
  };

  Widget.prototype.close = function () {
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    this.session.setItem(this.openKey, "0");
    this.launcher.focus();
  };

  Widget.prototype.connect = function () {
    if (this.socket) return;
    var self = this;
    var start = window.io
      ? Promise.resolve()
      : loadScript(new URL("vendor/socket.io.min.js", this.settings.base).href);
    this.socket = {};  // connecting
    start
      .then(function () {
        var socket = (self.socket = window.io(self.settings.server, {
          path: self.settings.socketPath,
          transports: ["websocket", "polling"],
          auth: self.settings.authToken ? { token: self.settings.authToken } : {},
        }));
        socket.on("connect", function () {
          self.setStatus("");
          socket.emit("session_request", { session_id: self.sessionId });
        });
        socket.on("session_confirm", function (confirmed) {
          var sessionId = confirmed && typeof confirmed === "object" ? confirmed.session_id : confirmed;
          if (typeof sessionId === "string" && sessionId) self.confirmSession(sessionId);
        });
        socket.on("bot_uttered", function (data) {
          self.receive(data);
        });
        socket.on("connect_error", function () {
          self.setStatus(self.settings.offlineText);
          self.hideTyping();
        });
        socket.on("disconnect", function () {
          self.confirmed = false;
        });
      })
      .catch(function () {
        self.socket = null;
        self.setStatus(self.settings.offlineText);
      });
  };

  Widget.prototype.confirmSession = function (sessionId) {
    if (sessionId !== this.sessionId) {
      this.sessionId = sessionId;
      this.local.setItem(this.sessionKey, sessionId);
      this.transcript = this.loadTranscript();
      this.renderTranscript();
    }
    this.confirmed = true;
    if (!this.transcript.length && !this.pending.length && this.settings.initialPayload) {
      this.emit(this.settings.initialPayload);
      this.showTyping();
    }
    var queued = this.pending;
    this.pending = [];
    queued.forEach(this.emit, this);
  };

  Widget.prototype.emit = function (payload) {
    if (!this.confirmed || !this.socket || !this.socket.emit) {
      this.pending.push(payload);
      return;
    }
    this.socket.emit("user_uttered", { message: payload, session_id: this.sessionId });
  };

  /** Shows ``shown`` as the person's message and sends ``payload`` to Rasa. */
  Widget.prototype.send = function (shown, payload) {
    this.retireQuickReplies();
    this.add({ from: "user", text: shown });
    this.showTyping();
    this.emit(payload);
  };

  Widget.prototype.receive = function (data) {
    var entry = fromBotEvent(data);
    this.hideTyping();
    if (entry) this.add(entry);
  };

  Widget.prototype.add = function (entry) {
    this.transcript.push(entry);
    this.saveTranscript();
    this.list.appendChild(this.elementFor(entry));
    this.scrollToEnd();
  };

  Widget.prototype.elementFor = function (entry) {
    var self = this;
    var element = messageElement(entry, function (index) {
      self.choose(entry, index);
    });
    this.elements.set(entry, element);
    return element;
  };

  Widget.prototype.choose = function (entry, index) {
    if (entry.used) return;
    var button = entry.buttons[index];
    entry.used = true;
    entry.chosen = index;
    this.markUsed(entry);
    this.input.focus();
    this.send(button.title, button.payload);
  };

  Widget.prototype.markUsed = function (entry) {
    var element = this.elements.get(entry);
    if (!element) return;
    var buttons = element.querySelectorAll(".kw-reply");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].disabled = true;
      if (i === entry.chosen) buttons[i].setAttribute("aria-pressed", "true");
    }
  };

  /** Older suggested replies stop working once the person says something new. */
  Widget.prototype.retireQuickReplies = function () {
    this.transcript.forEach(function (entry) {
      if (entry.buttons && !entry.used) {
        entry.used = true;
        this.markUsed(entry);
      }
    }, this);
  };

  Widget.prototype.renderTranscript = function () {
    while (this.list.firstChild) this.list.removeChild(this.list.firstChild);
    this.transcript.forEach(function (entry) {
      this.list.appendChild(this.elementFor(entry));
    }, this);
    this.scrollToEnd();
  };

  Widget.prototype.restart = function () {
    if (this.sessionId) this.local.removeItem(this.transcriptKey());
    this.local.removeItem(this.sessionKey);
    this.sessionId = null;
    this.transcript = [];
    this.pending = [];
    this.renderTranscript();
    this.hideTyping();
    if (this.socket && this.socket.emit) {
      this.confirmed = false;
      this.socket.disconnect().connect();
    }
    this.input.focus();
  };

  Widget.prototype.showTyping = function () {
    var self = this;
    this.typing.hidden = false;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(function () {
      self.hideTyping();
    }, TYPING_TIMEOUT_MS);
    this.scrollToEnd();
  };

  Widget.prototype.hideTyping = function () {
    clearTimeout(this.typingTimer);
    this.typing.hidden = true;
  };

  Widget.prototype.setStatus = function (text) {
    this.status.textContent = text;
    this.status.hidden = !text;
  };

  Widget.prototype.scrollToEnd = function () {
    this.list.scrollTop = this.list.scrollHeight;
  };

  function start() {
    var widget = new Widget(settingsFromScript(script));
    api.open = function () {
      widget.open(true);
    };
    api.close = function () {
      widget.close();
    };
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
