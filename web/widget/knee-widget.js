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
 *           data-offline-text="..."           (the server cannot be reached)
 *           data-not-set-up-text="..."></script> (the server refuses this site)
 *
 * It talks to Rasa's socket.io channel (session_request / session_confirm,
 * user_uttered / bot_uttered). The session id lives in localStorage and the
 * transcript, as data rather than HTML, is stored under that id, so the
 * conversation survives reloads and navigation and reopens at the latest
 * message. Every message is rendered with text nodes: bot or user text is never
 * parsed as HTML; web addresses and, in the assistant's messages, phone numbers
 * (999, 111, UK numbers) become links. A message the server marks as a card
 * (a triage outcome or advice to call 999, channels/widget_cards.py) is shown
 * as one, headed by its first sentence and scrolled into view at its start.
 * "Start over" asks first. When the server refuses this website's origin, the
 * console says which origin to add to ALLOWED_ORIGINS and the visitor reads
 * that the chat isn't set up here yet. The panel lives in an open shadow root
 * so the clinic's own CSS cannot restyle it.
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
  // 999, 112 and 111, or a UK number: +44 or 0, then 9 or 10 digits with single
  // spaces or hyphens between groups ("020 7946 0321", "+44 (0)20 7946 0321")
  var PHONE_PATTERN = /(?:\+44 ?(?:\(0\) ?)?|0)\d(?:[ -]?\d){8,9}|999|112|111/g;
  var ORIGIN_REFUSED = "origin not allowed"; // channels/socketio_persistent.py
  var CARD_LEVEL = /^[a-z_]{1,20}$/;

  /** The URL if it is a well-formed http(s) address, else null. */
  function safeHttpUrl(candidate) {
    try {
      var url = new URL(candidate);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  /** Is the character a letter, digit or one that joins a number to a word or address? */
  function joins(character) {
    return Boolean(character) && /[A-Za-z0-9.+\/_@-]/.test(character);
  }

  /**
   * A text piece split at phone numbers: {type: "text", value} and
   * {type: "link", value, href: "tel:..."}. A number inside a word or an
   * address ("111.nhs.uk", "ref 71112") stays text.
   */
  function phoneSegments(text) {
    var pieces = [];
    var last = 0;
    text.replace(PHONE_PATTERN, function (match, offset) {
      var before = text.charAt(offset - 1);
      var after = text.charAt(offset + match.length);
      var afterNext = text.charAt(offset + match.length + 1);
      var boundedAfter = !after || !(/[A-Za-z0-9]/.test(after) ||
        (/[.\/@-]/.test(after) && /[A-Za-z0-9]/.test(afterNext)));
      if (joins(before) || !boundedAfter) return match;
      if (offset > last) pieces.push({ type: "text", value: text.slice(last, offset) });
      pieces.push({ type: "link", value: match, href: "tel:" + match.replace(/\(0\)|[^+\d]/g, "") });
      last = offset + match.length;
      return match;
    });
    if (last < text.length) pieces.push({ type: "text", value: text.slice(last) });
    return pieces;
  }

  /**
   * Splits message text into pieces to render: {type: "text", value},
   * {type: "link", value, href} for http(s) addresses (and, with ``phones``,
   * tel: links for phone numbers), {type: "break"} for line breaks. Nothing
   * here is HTML; the caller makes text nodes and elements.
   */
  function segments(text, phones) {
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
    if (!phones) return pieces;
    return pieces.reduce(function (all, piece) {
      return all.concat(piece.type === "text" ? phoneSegments(piece.value) : [piece]);
    }, []);
  }

  /** Appends the text to ``parent`` as text nodes, <br> and safe links (tel: ones with ``phones``). */
  function renderText(parent, text, phones) {
    var doc = parent.ownerDocument || document;
    segments(text, phones).forEach(function (piece) {
      if (piece.type === "break") {
        parent.appendChild(doc.createElement("br"));
      } else if (piece.type === "link") {
        var link = doc.createElement("a");
        link.href = piece.href;
        if (piece.href.indexOf("tel:") !== 0) {
          link.rel = "noopener noreferrer";
          link.target = "_blank";
        }
        link.textContent = piece.value;
        parent.appendChild(link);
      } else {
        parent.appendChild(doc.createTextNode(piece.value));
      }
    });
    return parent;
  }

  /** A card's headline and the rest: the first sentence of its first line, then the remainder. */
  function splitHeadline(text) {
    var match = /^([^\n]*?[.!?:])(?:[ \t]+|(?=\n)|$)/.exec(text);
    if (!match) {
      var end = text.indexOf("\n");
      return end < 0 ? [text, ""] : [text.slice(0, end), text.slice(end + 1)];
    }
    return [match[1], text.slice(match[0].length).replace(/^\n/, "")];
  }

  /**
   * The element for one transcript entry: {from: "bot" | "user", text, card,
   * buttons: [{title, payload}], used, chosen, image}. ``onChoose(index)`` is
   * called when a quick reply is clicked.
   */
  function messageElement(message, onChoose, doc) {
    doc = doc || document;
    var bot = message.from !== "user";
    var item = doc.createElement("div");
    item.className = "kw-msg kw-" + (bot ? "bot" : "user");
    var who = doc.createElement("span");
    who.className = "kw-sr";
    who.textContent = bot ? "Assistant: " : "You: ";
    item.appendChild(who);
    if (bot && message.card && message.text) {
      item.className += " kw-card kw-card-" + message.card;
      var parts = splitHeadline(message.text);
      var headline = doc.createElement("h3");
      headline.className = "kw-card-headline";
      renderText(headline, parts[0], true);
      item.appendChild(headline);
      if (parts[1]) {
        var rest = doc.createElement("p");
        rest.className = "kw-text";
        renderText(rest, parts[1], true);
        item.appendChild(rest);
      }
    } else if (message.text) {
      var body = doc.createElement("p");
      body.className = "kw-text";
      renderText(body, message.text, bot);
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
    if (typeof data.card === "string" && CARD_LEVEL.test(data.card)) entry.card = data.card;
    var attachment = data.attachment;
    if (attachment && attachment.type === "image" && attachment.payload) {
      entry.image = String(attachment.payload.src || "");
    }
    return entry.text || entry.image || entry.buttons ? entry : null;
  }

  var api = {
    segments: segments,
    splitHeadline: splitHeadline,
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
      notSetUpText:
        data.notSetUpText ||
        "The chat isn't set up for this website yet. In an emergency call 999; " +
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
    var self = this;
    this.ready = ready.then(function () {
      container.hidden = false;
      self.scrollToLatest();
    });
    // on a phone the launcher shows "Chat" alone; its name always has the title
    this.launcher = create("button", container, {
      type: "button",
      class: "kw-launcher",
      "aria-expanded": "false",
      "aria-controls": "kw-panel",
      "aria-label": "Chat: " + settings.title,
    }, "Chat");
    create("span", this.launcher, { class: "kw-launcher-title" }, ": " + settings.title);
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
    var confirm = (this.confirmBar = create("div", panel, {
      class: "kw-confirm",
      role: "group",
      "aria-labelledby": "kw-confirm-question",
      hidden: "",
    }));
    create("p", confirm, { id: "kw-confirm-question", class: "kw-confirm-question" },
      "Start over? This clears the chat from this device.");
    this.confirmYes = create("button", confirm, { type: "button", class: "kw-confirm-yes" },
      "Clear and start again");
    this.confirmNo = create("button", confirm, { type: "button", class: "kw-confirm-no" },
      "Keep this chat");
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

    this.launcher.addEventListener("click", function () {
      if (self.panel.hidden) self.open(true);
      else self.close();
    });
    this.closeButton.addEventListener("click", function () {
      self.close();
    });
    this.restartButton.addEventListener("click", function () {
      self.askToRestart();
    });
    this.confirmYes.addEventListener("click", function () {
      self.confirmBar.hidden = true;
      self.restart();
    });
    this.confirmNo.addEventListener("click", function () {
      self.cancelRestart();
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      if (self.confirmBar.hidden) self.close();
      else self.cancelRestart();
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
    var self = this;
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.session.setItem(this.openKey, "1");
    this.ready.then(function () {
      self.scrollToLatest();
    });
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
        socket.on("connect_error", function (error) {
          self.hideTyping();
          if (error && error.message === ORIGIN_REFUSED) {
            self.reportRefusedOrigin(error.data || {});
          } else {
            self.setStatus(self.settings.offlineText);
          }
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

  /** The server does not accept this website: tell its developer how to fix it, and the visitor why. */
  Widget.prototype.reportRefusedOrigin = function (details) {
    var origin = typeof details.origin === "string" ? details.origin : window.location.origin;
    var setting = typeof details.setting === "string" ? details.setting : "ALLOWED_ORIGINS";
    if (window.console) {
      window.console.error(
        "Knee widget: the assistant at " + this.settings.server + " refused this website's origin " +
          origin + ". Add " + origin + " to " + setting +
          " on the assistant's server and restart it (see the README's embed steps)."
      );
    }
    this.setStatus(this.settings.notSetUpText);
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
    this.scrollToLatest();
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
    this.scrollToLatest();
  };

  Widget.prototype.askToRestart = function () {
    this.confirmBar.hidden = false;
    this.confirmNo.focus();
  };

  Widget.prototype.cancelRestart = function () {
    this.confirmBar.hidden = true;
    this.restartButton.focus();
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
    this.scrollToLatest();
  };

  Widget.prototype.hideTyping = function () {
    clearTimeout(this.typingTimer);
    this.typing.hidden = true;
  };

  Widget.prototype.setStatus = function (text) {
    while (this.status.firstChild) this.status.removeChild(this.status.firstChild);
    renderText(this.status, text, true);
    this.status.hidden = !text;
  };

  /** The first card the assistant sent since the person last wrote, if any. */
  Widget.prototype.readingAnchor = function () {
    var anchor = null;
    for (var i = this.transcript.length - 1; i >= 0; i -= 1) {
      var entry = this.transcript[i];
      if (entry.from === "user") break;
      if (entry.card) anchor = this.elements.get(entry) || anchor;
    }
    return anchor;
  };

  /**
   * Shows the latest message: the end of the conversation, but never past the
   * start of a card that arrived since the person last wrote, so an outcome is
   * read from its headline however long it is or whatever follows it.
   */
  Widget.prototype.scrollToLatest = function () {
    var list = this.list;
    var target = list.scrollHeight - list.clientHeight;
    var anchor = this.readingAnchor();
    if (anchor) {
      var top = anchor.getBoundingClientRect().top - list.getBoundingClientRect().top;
      target = Math.min(target, list.scrollTop + top - 8);
    }
    list.scrollTop = Math.max(0, target);
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
