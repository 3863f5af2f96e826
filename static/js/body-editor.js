// The article body's rich-text editor (articles.forms.BodyEditor): Tiptap from
// django-prose-editor's build (served by the site, no import map: the module is
// imported by its address, which keeps the admin under script-src 'self').
//
// It writes the markup lib/html.py keeps: paragraphs, h2-h4, lists, links,
// quotes, pull quotes, media-library figures, embed placeholders. A story the
// editor cannot hold exactly (it compares the HTML it would write with the
// stored one) keeps the plain HTML field, with a notice: nothing is lost.

const textarea = document.querySelector("textarea[data-body-editor]");
if (textarea) {
  start(textarea).catch((error) => {
    console.warn("Body editor not started:", error);
  });
}

const INLINE_MARKS = [
  // [tag, attributes kept]: inline markup of migrated stories, kept as it is.
  ["b", []], ["i", []], ["ins", []], ["del", []], ["mark", []], ["cite", []],
  ["small", ["class"]], ["abbr", ["title"]], ["q", ["cite"]],
];

async function start(textarea) {
  const T = await import(textarea.dataset.editorModule);
  const extensions = [
    T.Document, T.Text, T.Paragraph, T.HardBreak, T.History, T.Dropcursor, T.Gapcursor,
    T.Heading.configure({ levels: [2, 3, 4] }),
    T.Bold, T.Italic, T.Underline, T.Strike, T.Subscript, T.Superscript, T.Code,
    T.BulletList, T.OrderedList, bare(T.ListItem),
    bare(T.Blockquote, false).extend({
      addAttributes() {
        return { ...this.parent?.(), cite: { default: null } };
      },
    }),
    T.HorizontalRule,
    T.Link.configure({
      openOnClick: false,
      autolink: false,
      enableTarget: false,
      protocols: ["http", "https", "mailto"],
      HTMLAttributes: { target: null, rel: null, class: null },
    }).extend({
      addAttributes() {
        return {
          ...this.parent?.(),
          href: {
            default: null,
            parseHTML: (el) => safeHref(el.getAttribute("href")),
            renderHTML: (a) => ({ href: safeHref(a.href) }),
          },
          title: { default: null, renderHTML: (a) => (a.title ? { title: a.title } : {}) },
        };
      },
    }),
    T.Image.configure({ inline: true }).extend({
      addAttributes() {
        return { ...this.parent?.(), loading: { default: null } };
      },
    }),
    T.Table, tableRow(T), bare(T.TableCell),
    bare(T.TableHeader).extend({
      addAttributes() {
        return { ...this.parent?.(), scope: { default: null } };
      },
    }),
    preformatted(T),
    ...definitionList(T),
    ...INLINE_MARKS.map(([tag, attrs]) => inlineMark(T, tag, attrs)),
    pullQuote(T),
    mediaFigure(T, textarea),
    embed(T, textarea),
    T.HTML,
    T.Menu,
  ];

  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor body-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const stored = textarea.value;
  const editor = new T.Editor({
    element: wrapper,
    extensions,
    content: stored,
    injectCSS: false, // a <style> element: the policy allows stylesheets only
    onUpdate({ editor }) {
      const html = tidy(editor.getHTML());
      textarea.value = /^<p><\/p>$/.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  const written = tidy(editor.getHTML());
  const lost = differences(stored, written);
  if (lost) {
    window.bodyEditorDifference = { stored: canonical(stored), written: canonical(written) };
    editor.destroy();
    wrapper.before(textarea);
    wrapper.remove();
    notice(textarea, lost);
    return;
  }
  textarea.dataset.bodyEditorReady = "1";
  window.bodyEditor = editor; // for tests and the browser's console
}

// ---------------------------------------------------------------- the schema

/** A block container (list item, cell, quote) that remembers whether its
 * stored markup held its text directly (<li>text</li>): tidy() then unwraps
 * the paragraph the editor puts there. New ones are bare too. */
function bare(Extension, fresh = true) {
  return Extension.extend({
    addAttributes() {
      return {
        ...this.parent?.(),
        bare: {
          default: fresh,
          parseHTML: (el) => !el.firstElementChild || el.firstElementChild.tagName !== "P"
            || Boolean(el.firstChild.nodeType === 3 && el.firstChild.textContent.trim()),
          renderHTML: (attrs) => (attrs.bare ? { "data-bare": "" } : {}),
        },
      };
    },
  });
}

/** Table rows remember their section (thead, tbody, tfoot). */
function tableRow(T) {
  return T.TableRow.extend({
    addAttributes() {
      return {
        ...this.parent?.(),
        section: {
          default: "tbody",
          parseHTML: (el) => {
            const parent = el.parentElement && el.parentElement.tagName.toLowerCase();
            return ["thead", "tfoot"].includes(parent) ? parent : "tbody";
          },
          renderHTML: (attrs) => (attrs.section === "tbody" ? {} : { "data-section": attrs.section }),
        },
      };
    },
  });
}

/** <pre> with or without <code> inside, as stored. */
function preformatted(T) {
  const onlyCode = (el) => el.childNodes.length === 1 && el.firstChild.nodeName === "CODE";
  return T.Node.create({
    name: "preformatted",
    group: "block",
    content: "text*",
    marks: "_",
    code: true,
    defining: true,
    addAttributes() {
      return { code: { default: true, parseHTML: onlyCode, renderHTML: () => ({}) } };
    },
    parseHTML() {
      return [{
        tag: "pre",
        preserveWhitespace: "full",
        contentElement: (el) => (onlyCode(el) ? el.firstChild : el),
      }];
    },
    renderHTML({ node }) {
      return node.attrs.code ? ["pre", ["code", 0]] : ["pre", 0];
    },
  });
}

function definitionList(T) {
  const node = (name, tag, content, group) => T.Node.create({
    name, content, group, defining: true,
    parseHTML: () => [{ tag }],
    renderHTML: ({ HTMLAttributes }) => [tag, HTMLAttributes, 0],
  });
  return [
    node("definitionList", "dl", "(definitionTerm | definitionDescription)+", "block"),
    node("definitionTerm", "dt", "inline*"),
    bare(node("definitionDescription", "dd", "block+")),
  ];
}

function inlineMark(T, tag, attrs) {
  return T.Mark.create({
    name: `html_${tag}`,
    priority: 60,
    addAttributes: () => Object.fromEntries(attrs.map((a) => [a, { default: null }])),
    parseHTML: () => [{ tag, priority: 60 }],
    renderHTML: ({ HTMLAttributes }) => [tag, HTMLAttributes, 0],
  });
}

function pullQuote(T) {
  return T.Node.create({
    name: "pullQuote",
    group: "block",
    content: "block+",
    defining: true,
    parseHTML: () => [{ tag: "blockquote.pullquote", priority: 60 }],
    renderHTML: () => ["blockquote", { class: "pullquote" }, 0],
    addMenuItems({ menu, buttons }) {
      menu.defineItem({
        name: "pullQuote",
        groups: "nodes",
        button: buttons.text("PQ", "Pull quote"),
        command: (editor) => editor.chain().focus().toggleWrap("pullQuote").run(),
        active: (editor) => editor.isActive("pullQuote"),
      });
    },
  });
}

// ------------------------------------------------------- media-library figures

const CAPTION_TAGS = new Set(["A", "EM", "STRONG", "B", "I", "SMALL", "BR", "CODE", "SUB", "SUP", "SPAN"]);

/** A caption's markup, with only inline tags and safe links (the server
 * cleans it again on save): copied element by element into a new tree, so
 * that nothing of the source (handlers, other tags) comes along. */
function cleanCaption(html) {
  const source = document.createElement("template");
  source.innerHTML = html || "";
  const clean = document.createElement("template");
  const copy = (from, to) => {
    for (const child of from.childNodes) {
      if (child.nodeType === 3) {
        to.append(child.textContent);
      } else if (child.nodeType === 1 && CAPTION_TAGS.has(child.tagName)) {
        const el = document.createElement(child.tagName.toLowerCase());
        const href = child.tagName === "A" && safeHref(child.getAttribute("href"));
        if (href) el.setAttribute("href", href);
        if (child.tagName === "SMALL" && child.getAttribute("class") === "credit") {
          el.className = "credit";
        }
        copy(child, el);
        to.append(el);
      } else if (child.nodeType === 1) {
        copy(child, to); // the text of a tag a caption does not keep
      }
    }
  };
  copy(source.content, clean.content);
  return clean.innerHTML;
}

/** A link's address if it is one the site keeps (http, https, mailto, or
 * relative), else null. */
function safeHref(href) {
  if (!href) return null;
  // Browsers ignore control characters and spaces in a scheme (java\tscript:).
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href.replace(/[\u0000-\u0020]/g, ""));
  return !scheme || ["http", "https", "mailto"].includes(scheme[1].toLowerCase()) ? href : null;
}

const escapeHTML = (text) => {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
};

function mediaFigure(T, textarea) {
  return T.Node.create({
    name: "mediaFigure",
    group: "block",
    atom: true,
    draggable: true,
    addAttributes: () => ({
      imageId: { default: null }, src: { default: "" }, alt: { default: null },
      width: { default: null }, height: { default: null }, title: { default: null },
      loading: { default: null }, href: { default: null }, caption: { default: "" },
      hasCaption: { default: false },
    }),
    parseHTML() {
      return [{
        tag: "figure",
        priority: 55,
        getAttrs(el) {
          // One image (maybe linked) and maybe a caption: anything else is not
          // this node (a gallery, say) and the story keeps the HTML field.
          const kids = [...el.children];
          const caption = kids.find((k) => k.tagName === "FIGCAPTION");
          const media = kids.filter((k) => k !== caption);
          if (media.length !== 1 || (caption && kids.at(-1) !== caption)) return false;
          let img = media[0], href = null;
          if (img.tagName === "A" && img.children.length === 1 && !img.textContent.trim()) {
            href = safeHref(img.getAttribute("href"));
            img = img.firstElementChild;
          }
          if (img.tagName !== "IMG") return false;
          const loose = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
          if (loose) return false;
          const id = el.getAttribute("data-image-id");
          const attr = (name) => img.getAttribute(name);
          return {
            imageId: el.classList.contains("image") && /^\d+$/.test(id || "") ? id : null,
            src: attr("src") || "", alt: attr("alt"), width: attr("width"),
            height: attr("height"), title: attr("title"), loading: attr("loading"),
            href, caption: caption ? cleanCaption(caption.innerHTML) : "",
            hasCaption: Boolean(caption),
          };
        },
      }];
    },
    renderHTML({ node }) {
      const a = node.attrs;
      const figure = document.createElement("figure");
      if (a.imageId) {
        figure.className = "image";
        figure.setAttribute("data-image-id", a.imageId);
      }
      const img = document.createElement("img");
      img.setAttribute("src", a.src);
      for (const name of ["alt", "width", "height", "title", "loading"]) {
        if (a[name] !== null) img.setAttribute(name, a[name]);
      }
      if (a.href) {
        const link = document.createElement("a");
        link.setAttribute("href", a.href);
        link.append(img);
        figure.append(link);
      } else {
        figure.append(img);
      }
      if (a.hasCaption || a.caption) {
        const caption = document.createElement("figcaption");
        caption.innerHTML = cleanCaption(a.caption);
        figure.append(caption);
      }
      return figure;
    },
    addCommands() {
      return {
        chooseImage: () => ({ editor }) => {
          imageDialog(editor, textarea);
          return true;
        },
      };
    },
    addMenuItems({ menu, buttons }) {
      menu.defineItem({
        name: "mediaFigure",
        groups: "nodes",
        button: buttons.material("image", "Image from the media library"),
        command: (editor) => editor.commands.chooseImage(),
        hidden: () => !textarea.dataset.chooserUrl,
      });
    },
  });
}

/** The media-library dialog: search or upload, then alt text, caption and
 * credit; inserts <figure class="image" data-image-id>. */
function imageDialog(editor, textarea) {
  const url = textarea.dataset.chooserUrl;
  const form = textarea.closest("form");
  const token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  const dialog = element("dialog", { className: "prose-editor-dialog body-editor-media" });
  const search = element("input", { type: "search", placeholder: "Search the media library", name: "q" });
  const results = element("ul", { className: "body-editor-media__results" });
  const more = element("button", { type: "button", textContent: "More", hidden: true });
  const status = element("p", { className: "body-editor-media__status", role: "status" });
  const file = element("input", { type: "file", name: "file", accept: "image/*" });
  const upload = element("button", { type: "button", textContent: "Upload" });
  const alt = element("input", { type: "text", name: "alt", required: true });
  const caption = element("input", { type: "text", name: "caption" });
  const credit = element("input", { type: "text", name: "credit" });
  const insert = element("button", { type: "submit", textContent: "Insert", disabled: true });
  const cancel = element("button", { type: "button", textContent: "Cancel" });
  const chosenView = element("p", { className: "body-editor-media__chosen" });
  let chosen = null, page = 1;

  const field = (label, input) => element("label", {}, [element("span", { textContent: label }), input]);
  const body = element("form", { method: "dialog" }, [
    element("h3", { className: "prose-editor-dialog-title", textContent: "Image from the media library" }),
    search, status, results, more,
    element("fieldset", {}, [element("legend", { textContent: "Or upload a new one" }), file, upload]),
    chosenView,
    field("Alternative text", alt), field("Caption", caption), field("Credit", credit),
    element("div", { className: "prose-editor-dialog-buttons" }, [insert, cancel]),
  ]);
  dialog.append(body);
  document.body.append(dialog);

  const choose = (item) => {
    chosen = item;
    alt.value = item.alt || "";
    caption.value = item.caption || "";
    credit.value = item.credit || "";
    chosenView.textContent = `Chosen: ${item.title || item.url}`;
    insert.disabled = false;
  };
  const show = (answer, append) => {
    if (!append) results.replaceChildren();
    for (const item of answer.results || []) {
      const pick = element("button", { type: "button", className: "body-editor-media__item", title: item.title || "" }, [
        element("img", { src: item.thumbnail || item.url, alt: "", width: 96 }),
        element("span", { textContent: item.title || item.alt || String(item.id) }),
      ]);
      pick.addEventListener("click", () => choose(item));
      results.append(element("li", {}, [pick]));
    }
    more.hidden = !answer.has_next;
    status.textContent = results.children.length ? "" : "Nothing found.";
  };
  const load = (append) => {
    const query = new URLSearchParams({ q: search.value, page: String(page) });
    fetch(`${url}?${query}`, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.status))))
      .then((answer) => show(answer, append))
      .catch(() => { status.textContent = "The media library did not answer."; });
  };
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { page = 1; load(false); }, 250);
  });
  more.addEventListener("click", () => { page += 1; load(true); });
  upload.addEventListener("click", () => {
    if (!file.files.length) { status.textContent = "Choose a file first."; return; }
    const data = new FormData();
    data.append("file", file.files[0]);
    data.append("alt", alt.value);
    data.append("caption", caption.value);
    data.append("credit", credit.value);
    status.textContent = "Uploading…";
    fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then((r) => r.json().then((answer) => ({ ok: r.ok, answer })))
      .then(({ ok, answer }) => {
        if (!ok) {
          const errors = Object.values(answer.errors || {}).flat().join(" ");
          status.textContent = errors || "The upload was refused.";
          return;
        }
        status.textContent = "Uploaded.";
        choose(answer);
      })
      .catch(() => { status.textContent = "The upload failed: try again."; });
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  body.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!chosen || !body.reportValidity()) return;
    const credited = credit.value.trim();
    const text = escapeHTML(caption.value.trim());
    const html = credited ? `${text} <small class="credit">${escapeHTML(credited)}</small>`.trim() : text;
    insertBlock(editor, {
      type: "mediaFigure",
      attrs: {
        imageId: String(chosen.id), src: chosen.url, alt: alt.value.trim(),
        width: chosen.width ? String(chosen.width) : null,
        height: chosen.height ? String(chosen.height) : null,
        caption: html, hasCaption: Boolean(html),
      },
    });
    dialog.close();
  });
  dialog.showModal();
  load(false);
}

/** Insert a figure or embed and go on writing in the paragraph after it
 * (a new one when it is the last block), not with the figure selected. */
function insertBlock(editor, node) {
  editor.chain().focus().insertContent(node).run();
  const { selection, doc } = editor.state;
  if (!selection.node) return;
  const after = selection.to;
  const next = doc.nodeAt(after);
  if (!next || !next.isTextblock) {
    editor.chain().insertContentAt(after, { type: "paragraph" }).run();
  }
  editor.chain().focus().setTextSelection(after + 1).run();
}

function element(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "role" || key === "placeholder") el.setAttribute(key, value);
    else el[key] = value;
  }
  el.append(...children);
  return el;
}

// ------------------------------------------------------------------- embeds

const PROVIDERS = {
  youtube: ["YouTube", "Watch on YouTube"],
  vimeo: ["Vimeo", "Watch on Vimeo"],
  x: ["X", "View the post on X"],
  bluesky: ["Bluesky", "View the post on Bluesky"],
  mastodon: ["Mastodon", "View the post on Mastodon"],
  instagram: ["Instagram", "View the post on Instagram"],
};

/** The provider of a video or post address (as lib/embeds.py sees it), or "". */
function providerOf(address, mastodonHosts) {
  let url;
  try { url = new URL(address); } catch { return ""; }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password) return "";
  const host = url.hostname.toLowerCase(), path = url.pathname;
  if (/^(www\.|m\.)?youtube\.com$/.test(host)) {
    return (path === "/watch" && /^[\w-]{11}$/.test(url.searchParams.get("v") || ""))
      || /^\/(shorts|embed|live|v)\/[\w-]{11}\/?$/.test(path) ? "youtube" : "";
  }
  if (host === "youtu.be") return /^\/[\w-]{11}\/?$/.test(path) ? "youtube" : "";
  if (/^(www\.)?vimeo\.com$/.test(host)) return /^\/\d{1,12}(\/[0-9a-f]{6,20})?\/?$/.test(path) ? "vimeo" : "";
  if (host === "player.vimeo.com") return /^\/video\/\d{1,12}\/?$/.test(path) ? "vimeo" : "";
  if (/^(www\.|mobile\.)?(x|twitter)\.com$/.test(host)) return /^\/\w{1,15}\/status\/\d{1,20}\/?$/.test(path) ? "x" : "";
  if (host === "bsky.app") return /^\/profile\/[\w.:-]{1,253}\/post\/[a-z0-9]{1,20}\/?$/.test(path) ? "bluesky" : "";
  if (/^(www\.)?instagram\.com$/.test(host)) return /^\/(p|reel)\/[\w-]{1,40}\/?$/.test(path) ? "instagram" : "";
  if (mastodonHosts.includes(host)) return /^\/@\w{1,30}\/\d{1,20}\/?$/.test(path) ? "mastodon" : "";
  return "";
}

function embed(T, textarea) {
  const mastodonHosts = (textarea.dataset.mastodonHosts || "").split(",");
  return T.Node.create({
    name: "embed",
    group: "block",
    atom: true,
    draggable: true,
    addAttributes: () => ({
      provider: { default: "" }, url: { default: "" }, href: { default: "" }, text: { default: "" },
    }),
    parseHTML() {
      return [{
        tag: "figure.embed[data-embed-url]",
        priority: 60,
        getAttrs(el) {
          const link = el.querySelector("a");
          const kids = [...el.childNodes].filter((n) => n.nodeType === 1 || n.textContent.trim());
          if (kids.length !== 1 || kids[0] !== link || link.children.length) return false;
          return {
            provider: el.getAttribute("data-embed"), url: el.getAttribute("data-embed-url"),
            href: link.getAttribute("href"), text: link.textContent,
          };
        },
      }];
    },
    renderHTML({ node }) {
      const a = node.attrs;
      return ["figure", { class: "embed", "data-embed": a.provider, "data-embed-url": a.url },
        ["a", { href: safeHref(a.href) || a.url }, a.text || a.url]];
    },
    addNodeView() {
      return ({ node }) => {
        const dom = element("figure", { className: "body-editor-embed" }, [
          element("strong", { textContent: `${(PROVIDERS[node.attrs.provider] || [node.attrs.provider])[0]} embed` }),
          element("span", { textContent: ` ${node.attrs.url}` }),
        ]);
        dom.contentEditable = "false";
        return { dom };
      };
    },
    addCommands() {
      return {
        addEmbed: () => ({ editor }) => {
          T.updateAttrsDialog({
            url: {
              type: "string", format: "url", required: true,
              title: "Address of the video or post",
              description: "YouTube, Vimeo, X, Bluesky, Instagram, or Mastodon (" + mastodonHosts.join(", ") + ")",
            },
          }, { title: "Embed a video or post", submitText: "Embed" })(editor, { url: "" }).then((attrs) => {
            if (!attrs) return;
            const address = attrs.url.trim();
            const provider = providerOf(address, mastodonHosts);
            if (!provider) {
              window.alert("Only a video or post of YouTube, Vimeo, X, Bluesky, Instagram or Mastodon can be embedded: add other addresses as links.");
              return;
            }
            insertBlock(editor, {
              type: "embed",
              attrs: { provider, url: address, href: address, text: PROVIDERS[provider][1] },
            });
          });
          return true;
        },
      };
    },
    addMenuItems({ menu, buttons }) {
      menu.defineItem({
        name: "embed",
        groups: "nodes",
        button: buttons.material("smart_display", "Embed a video or post"),
        command: (editor) => editor.commands.addEmbed(),
      });
    },
  });
}

// ------------------------------------------------- output, and what it keeps

/** The editor's HTML as the story stores it: bare containers unwrapped,
 * table sections restored, the editor's own attributes and widths gone. */
function tidy(html) {
  const box = document.createElement("template");
  box.innerHTML = html;
  const root = box.content;
  for (const el of root.querySelectorAll("[data-bare]")) {
    el.removeAttribute("data-bare");
    // Only the one paragraph: <li>Item<ul>…</ul></li> is bare, two
    // paragraphs are not.
    const paragraphs = [...el.children].filter((c) => c.tagName === "P");
    const first = el.firstChild;
    if (paragraphs.length === 1 && first === paragraphs[0] && !first.attributes.length) {
      first.replaceWith(...first.childNodes);
    }
  }
  for (const list of root.querySelectorAll("ol[data-type]")) list.removeAttribute("data-type");
  for (const table of root.querySelectorAll("table")) {
    table.removeAttribute("style");
    for (const col of table.querySelectorAll("colgroup")) col.remove();
    const body = table.querySelector(":scope > tbody");
    if (!body) continue;
    for (const section of ["thead", "tfoot"]) {
      const rows = body.querySelectorAll(`:scope > tr[data-section=${section}]`);
      if (!rows.length) continue;
      const group = document.createElement(section);
      group.append(...rows);
      if (section === "thead") table.insertBefore(group, body);
      else table.append(group);
    }
    for (const row of table.querySelectorAll("tr[data-section]")) row.removeAttribute("data-section");
    if (!body.children.length) body.remove();
  }
  for (const cell of root.querySelectorAll("td, th")) {
    for (const name of ["colspan", "rowspan"]) {
      if (cell.getAttribute(name) === "1") cell.removeAttribute(name);
    }
  }
  return box.innerHTML;
}

/** A canonical form of some HTML: elements with their sorted attributes and
 * text without whitespace (rel is the server's; <pre> keeps its spaces). */
function canonical(html) {
  const box = document.createElement("template");
  box.innerHTML = html;
  const out = [];
  const walk = (node, pre) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) {
        const text = pre ? child.textContent : child.textContent.replace(/\s+/g, "");
        if (text) out.push(text);
      } else if (child.nodeType === 1) {
        const tag = child.tagName.toLowerCase();
        const attrs = [...child.attributes]
          .filter((a) => !(tag === "a" && a.name === "rel"))
          .map((a) => `${a.name}="${a.value}"`).sort().join(" ");
        out.push(`<${tag}${attrs ? " " + attrs : ""}>`);
        walk(child, pre || tag === "pre");
        out.push(`</${tag}>`);
      }
    }
  };
  walk(box.content, false);
  return out.join("");
}

/** What the editor would change in the stored HTML ("" when nothing): the
 * elements it would drop or add, or a note that some text or attribute
 * would change. */
function differences(stored, written) {
  if (!stored.trim()) return "";
  if (canonical(stored) === canonical(written)) return "";
  const count = (html) => {
    const box = document.createElement("template");
    box.innerHTML = html;
    const counts = new Map();
    for (const el of box.content.querySelectorAll("*")) {
      const tag = el.tagName.toLowerCase();
      counts.set(tag, (counts.get(tag) || 0) + 1);
    }
    return counts;
  };
  const before = count(stored), after = count(written);
  const changed = [...new Set([...before.keys(), ...after.keys()])]
    .filter((tag) => before.get(tag) !== after.get(tag))
    .map((tag) => `<${tag}>`);
  return changed.length ? changed.join(", ") : "some attributes or text";
}

function notice(textarea, lost) {
  const box = element("p", { className: "body-editor-notice" });
  box.setAttribute("role", "note");
  box.textContent = "This story holds markup the rich-text editor cannot keep exactly as it is ("
    + lost + "), so it is shown as HTML: edit it here and nothing is lost.";
  textarea.before(box);
}
