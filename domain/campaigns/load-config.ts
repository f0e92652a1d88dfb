import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigPath, ConfigProblem } from './config-problems.ts';
import { parseCampaignConfig, type CampaignConfigResult } from './validate.ts';

/**
 * Reads the text of a campaign configuration file: JSON when the name ends in `.json`, else YAML
 * (1.2: dates stay strings). Syntax errors come with their line and column; every other problem
 * with the line of the node it is about (or of its nearest parent when the key is missing).
 */
export function loadCampaignConfigText(text: string, fileName: string): CampaignConfigResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  let input: unknown;
  if (fileName.toLowerCase().endsWith('.json')) {
    try {
      input = JSON.parse(text);
    } catch (error) {
      return { ok: false, problems: [jsonSyntaxProblem((error as Error).message, text, document, lineCounter)] };
    }
  } else {
    if (document.errors.length > 0) {
      return {
        ok: false,
        problems: document.errors.map((error) => ({
          path: '',
          // The pretty message repeats the position and adds a code frame; one line is enough here.
          message: `YAML syntax error: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:$/, '')}`,
          ...(error.linePos === undefined ? {} : { line: error.linePos[0].line, column: error.linePos[0].col }),
        })),
      };
    }
    input = document.toJS();
  }
  // Valid JSON is valid YAML, so the same document locates the nodes of either format.
  return parseCampaignConfig(input, (path) => lineOf(document, lineCounter, path));
}

function jsonSyntaxProblem(message: string, text: string, document: Document, lineCounter: LineCounter): ConfigProblem {
  // V8 names the offending offset for most errors; otherwise the YAML parser's first error is near it.
  const match = /at position (\d+)/.exec(message);
  const offset = match !== null ? Number(match[1]) : message.startsWith('Unexpected end') ? text.length : document.errors[0]?.pos[0];
  const problem: ConfigProblem = { path: '', message: `JSON syntax error: ${message.replace(/ in JSON at position \d+.*$|, .*is not valid JSON$/s, '')}` };
  if (offset === undefined) return problem;
  const { line, col } = lineCounter.linePos(offset);
  return { ...problem, line, column: col };
}

/** The line of the deepest node on the path that exists: a map entry's key, or a sequence item. */
function lineOf(document: Document, lineCounter: LineCounter, path: ConfigPath): number | undefined {
  let node: unknown = document.contents;
  let position: Node | null = isScalar(node) || isMap(node) || isSeq(node) ? node : null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      position = isScalar(pair.key) ? pair.key : position;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!isScalar(node) && !isMap(node) && !isSeq(node)) break;
      position = node;
    } else break;
  }
  return position?.range == null ? undefined : lineCounter.linePos(position.range[0]).line;
}
