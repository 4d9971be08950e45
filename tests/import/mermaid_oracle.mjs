// Mermaid's own journey parser, for tests: reads a JSON list of diagrams on stdin, prints what
// Mermaid makes of each as a JSON list. The jison parser is lifted from the installed bundle (tools/node_modules)
// because its entry point needs a browser DOM; the preprocessing mirrors mermaidAPI's
// (front matter, directives, whole-line comments, entity codes) and the db mirrors journeyDb.
import { readFileSync, readdirSync } from 'node:fs';

const dir = process.argv[2];
const name = readdirSync(dir).find((f) => /^journeyDiagram-.*\.mjs$/.test(f));
const src = readFileSync(`${dir}/${name}`, 'utf8');
const start = src.indexOf('var parser = (function()');
const end = src.indexOf('parser.parser = parser;');
if (start < 0 || end < 0) {
  console.log(JSON.stringify({ unusable: `no jison parser found in ${name}` }));
  process.exit(0);
}
const parser = new Function('__name', `${src.slice(start, end)}\nreturn parser;`)((f) => f);

function parse(input) {
let text = input.replace(/\r\n?/g, '\n');
const front = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;
text = text.replace(front, '');
text = text.replace(/%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?/gi, '');
text = text.replace(/^\s*%%(?!{)[^\n]+\n?/gm, '').trimStart();
text = text.replace(/#\w+;/g, (s) => {
  const inner = s.substring(1, s.length - 1);
  return /^\+?\d+$/.test(inner) ? `ﬂ°°${inner}¶ß` : `ﬂ°${inner}¶ß`;
});
const decode = (s) => s.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');

// sectionTasks: how many tasks each section has (Mermaid draws a section only above its tasks).
const db = { title: '', accTitle: '', accDescr: '', sections: [], sectionTasks: [], tasks: [] };
let current = '';
parser.yy = {
  setDiagramTitle: (t) => { db.title = decode(t).replace(/^\s+/g, ''); },
  setAccTitle: (t) => { db.accTitle = decode(t).replace(/^\s+/g, ''); },
  setAccDescription: (t) => { db.accDescr = decode(t).replace(/\n\s+/g, '\n'); },
  addSection: (t) => { current = decode(t); db.sections.push(current); db.sectionTasks.push(0); },
  addTask: (descr, data) => {
    const pieces = data.substr(1).split(':');
    const score = Number(pieces[0]);
    const people = pieces.length === 1 ? [] : pieces[1].split(',');
    if (db.sectionTasks.length) db.sectionTasks[db.sectionTasks.length - 1] += 1;
    db.tasks.push({ section: current, task: decode(descr), score: Number.isNaN(score) ? 'NaN' : score,
      people: people.map((s) => decode(s.trim())) });
  },
};
try {
  parser.parse(text);
  return { ok: true, ...db };
} catch (e) {
  return { ok: false, error: String(e.message).split('\n')[0] };
}
}

// Input: a JSON list of diagrams; output: a JSON list of what Mermaid makes of each.
const inputs = JSON.parse(readFileSync(0, 'utf8'));
console.log(JSON.stringify(inputs.map(parse)));
