// JupyterLab reads the course's MyST roles as the book does.
//
// The lessons' Markdown uses four MyST roles. JupyterLab's own Markdown renderer shows them as raw text
// ("{term}`SERM`"); this plugin replaces JupyterLab's Markdown renderer with one that renders first as JupyterLab
// does, then turns each role into what the book shows:
//   {term}`SERM`                a button; pressing it shows the glossary's definition in place, pressing again hides it
//   {cite:p}`Key` / {cite:t}`Key`  "(Author et al., 2009)" / "Author et al. (2009)"; each name shows the full reference
//   {doc}`../book/references`   a link to the book page's Markdown file, opened (rendered) in JupyterLab
// The glossary definitions, reference texts and page titles come from course-lookup.json, written beside this file at
// set-up by scripts/lab_extension.py from book/glossary.md and the course's BibTeX files.
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { IRenderMimeRegistry, MimeModel, RenderedMarkdown, markdownRendererFactory } from '@jupyterlab/rendermime';

const NAME = 'hrher2-lab';
const ROLE = /\{(term|cite:p|cite:t|doc)\}$/;
let lookup = { terms: {}, refs: {}, docs: {} };
let serial = 0;

function lookupUrl() {
  return URLExt.join(PageConfig.getOption('fullLabextensionsUrl'), NAME, 'static', 'course-lookup.json');
}

// "{doc}`Title <path>`" and "{doc}`path`": rewritten in the Markdown itself, so JupyterLab resolves and opens the
// link as it does any relative link of the notebook.
function rewriteDocs(source) {
  return source.replace(/\{doc\}`([^`]+)`/g, (all, body) => {
    const m = body.match(/^(.*?)\s*<([^>]+)>$/);
    const path = (m ? m[2] : body).trim();
    const title = m ? m[1] : (lookup.docs[path.replace(/^(\.\.\/)+/, '')] || path);
    return `[${title}](${path.endsWith('.md') ? path : path + '.md'})`;
  });
}

function disclosure(label, text, kind) {
  // a button that shows (and hides) a note right after it: keyboard and screen-reader operable
  const id = `hrher2-${kind}-${++serial}`;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `hrher2-${kind}`;
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', id);
  const note = document.createElement('span');
  note.id = id;
  note.className = 'hrher2-note';
  note.setAttribute('role', 'note');
  note.hidden = true;
  note.textContent = text;
  button.addEventListener('click', event => {
    event.preventDefault();
    event.stopPropagation();
    note.hidden = !note.hidden;
    button.setAttribute('aria-expanded', String(!note.hidden));
  });
  return [button, note];
}

function term(body) {
  const m = body.match(/^(.*?)\s*<([^>]+)>$/);
  const shown = m ? m[1] : body;
  const entry = lookup.terms[(m ? m[2] : body).trim().toLowerCase()];
  if (!entry) {
    return [document.createTextNode(shown)];
  }
  return disclosure(shown, `${entry.term}: ${entry.definition}`, 'term');
}

function cite(role, body) {
  const keys = body.split(',').map(k => k.trim()).filter(Boolean);
  const out = [];
  keys.forEach((key, i) => {
    const ref = lookup.refs[key];
    if (i > 0) {
      out.push(document.createTextNode(role === 'cite:p' ? '; ' : ', '));
    }
    if (!ref) {
      out.push(document.createTextNode(key));
      return;
    }
    const label = role === 'cite:p' ? `${ref.authors}, ${ref.year}` : `${ref.authors} (${ref.year})`;
    const text = ref.number ? `[${ref.number}] ${ref.text}` : ref.text;
    out.push(...disclosure(label, text, 'cite'));
  });
  if (role === 'cite:p') {
    out.unshift(document.createTextNode('('));
    out.push(document.createTextNode(')'));
  }
  return out;
}

// Marked renders "{term}`SERM`" as the text "{term}" followed by <code>SERM</code>: find those pairs.
function renderRoles(host) {
  const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const next = node.nextSibling;
    if (ROLE.test(node.nodeValue) && next && next.nodeName === 'CODE') {
      found.push(node);
    }
  }
  for (const node of found) {
    const role = node.nodeValue.match(ROLE)[1];
    const code = node.nextSibling;
    node.nodeValue = node.nodeValue.replace(ROLE, '');
    const parts = role === 'term' ? term(code.textContent) : cite(role, code.textContent);
    code.replaceWith(...parts);
  }
}

// A book page opened in JupyterLab (Markdown Preview) holds MyST directives that marked shows as code blocks:
// the glossary becomes a definition list (each term with the id the book gives it), each bibliography the list the
// book prints there, and a raw HTML block (the progress table, built by the book) says where it can be seen.
function renderDirectives(host) {
  for (const code of host.querySelectorAll('pre > code')) {
    const m = (code.className || '').match(/language-\{([\w:-]+)\}/);
    if (!m) {
      continue;
    }
    const pre = code.parentElement;
    if (m[1] === 'glossary') {
      const dl = document.createElement('dl');
      dl.className = 'hrher2-glossary';
      for (const entry of lookup.glossary || []) {
        for (const name of entry.names) {
          const dt = document.createElement('dt');
          dt.id = `term-${name.replace(/\s+/g, '-')}`;
          dt.textContent = name;
          dl.append(dt);
        }
        const dd = document.createElement('dd');
        dd.textContent = entry.definition;
        dl.append(dd);
      }
      pre.replaceWith(dl);
    } else if (m[1] === 'bibliography') {
      const list = (lookup.bibliographies || {})[code.textContent.trim()];
      if (!list) {
        continue;
      }
      const ul = document.createElement('ul');
      ul.className = 'hrher2-bibliography';
      for (const item of list) {
        const li = document.createElement('li');
        li.id = item.anchor || '';
        li.textContent = `[${item.label}] ${item.text}`;
        ul.append(li);
      }
      pre.replaceWith(ul);
    } else if (m[1] === 'raw') {
      const p = document.createElement('p');
      p.className = 'hrher2-bookonly';
      p.textContent = 'This part of the page is built with the course book and shows there (make book, or the ' +
        'hosted book); it does not run inside JupyterLab.';
      pre.replaceWith(p);
    }
  }
}

class CourseMarkdown extends RenderedMarkdown {
  async render(model) {
    const source = String(model.data['text/markdown'] ?? '');
    const rewritten = rewriteDocs(source);
    const shown = rewritten === source ? model : new MimeModel({
      data: { ...model.data, 'text/markdown': rewritten }, metadata: model.metadata, trusted: model.trusted
    });
    await super.render(shown);
    renderRoles(this.node);
    renderDirectives(this.node);
  }
}

const plugin = {
  id: `${NAME}:myst-roles`,
  description: 'Renders the course lessons\' MyST roles ({term}, {cite:p}, {cite:t}, {doc}) in Markdown.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  activate: async (app, rendermime) => {
    try {
      const response = await fetch(lookupUrl());
      if (response.ok) {
        lookup = await response.json();
      } else {
        console.warn(`${NAME}: no course-lookup.json (${response.status}); terms and citations show as plain text`);
      }
    } catch (error) {
      console.warn(`${NAME}: course-lookup.json could not be read`, error);
    }
    rendermime.addFactory({
      ...markdownRendererFactory,
      createRenderer: options => new CourseMarkdown(options)
    }, rendermime.getRank('text/markdown') ?? markdownRendererFactory.defaultRank);
  }
};

export default [plugin];
