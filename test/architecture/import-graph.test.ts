import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of every script in the repository (issue 13 item 1, README "Layout"): Lambda handlers are
 * leaves, a step's folder never reaches into another step's, and each top-level folder imports only the folders
 * its line of the README's table names. Specifiers come from the TypeScript scanner (static imports, re-exports,
 * `import type`, dynamic `import()`, `require`) plus `new URL('<script>', import.meta.url)` (the threaded handlers).
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const skippedFolders = new Set(['node_modules', '.git', 'cdk.out', '.outbound', 'coverage']);
const scriptFile = /\.(ts|mts|mjs|js|cjs)$/;

interface Edge {
  /** Repository-relative path of the importing file. */
  from: string;
  /** Repository-relative path of the imported file (relative specifiers) or the package name (bare ones). */
  to: string;
}

function sourceFiles(dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return skippedFolders.has(entry.name) || path === 'bench/out' ? [] : sourceFiles(path);
    return scriptFile.test(entry.name) ? [path] : [];
  });
}

function specifiers(text: string): string[] {
  const scanned = ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
  const urls = [...text.matchAll(/new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)].map((match) => match[1]!);
  return [...scanned, ...urls.filter((url) => scriptFile.test(url))];
}

function importGraph(): Edge[] {
  return sourceFiles().flatMap((from) =>
    specifiers(readFileSync(join(root, from), 'utf8')).map((specifier) => ({
      from,
      to: specifier.startsWith('.') ? posix.normalize(posix.join(dirname(from), specifier)) : specifier,
    })),
  );
}

const handlerFile = /^lambdas\/([^/]+)\/handler\.ts$/;
const stepFolder = (path: string) => /^lambdas\/([^/]+)\//.exec(path)?.[1];
const topFolder = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : undefined);

/** Who binds handlers: the CDK app, the local state-machine task bindings and worker threads, the local HTTP server; tests exercise them. */
const handlerBinders = [
  /^lib\//,
  /^local\/runtime\/functions\.ts$/,
  /^local\/runtime\/lambda-workers?\.(ts|mjs)$/,
  /^local\/runtime\/http-server\.ts$/,
  /^test\//,
];

/** The README's "Layout" table: the project folders each top-level folder may import besides itself (test/ may import any). */
const mayImport: Readonly<Record<string, readonly string[]>> = {
  bin: ['lib', 'local'],
  lib: ['config', 'domain'],
  lambdas: ['adapters', 'domain', 'config', 'sql'],
  adapters: ['domain', 'config', 'sql'],
  domain: ['config'],
  config: ['domain'],
  sql: ['domain', 'config'],
  local: ['lambdas', 'adapters', 'domain', 'config', 'sql'],
  bench: ['local', 'lambdas', 'adapters', 'domain', 'config', 'sql'],
  scripts: ['domain', 'config'],
};
const projectFolders = new Set([...Object.keys(mayImport), 'test', 'statemachines', 'docs']);

/** Edges the table does not allow yet, each with the change that removes it. */
const knownExceptions: readonly (Edge & { until: string })[] = [];

/** Packages that talk to AWS or a SQL engine: never in domain/ (pure rules). */
const awsPackage = /^(@aws-sdk\/|aws-cdk-lib|constructs$|@aws-lambda-powertools\/|@middy\/|aws-lambda$|@duckdb\/)/;

function handlerViolations(edges: readonly Edge[]): string[] {
  return edges
    .filter(({ from, to }) => handlerFile.test(to) && !handlerBinders.some((binder) => binder.test(from)))
    .map(({ from, to }) => `${from} imports the handler ${to}: only lib/ and the local bindings may`);
}

function crossStepViolations(edges: readonly Edge[]): string[] {
  return edges
    .filter(({ from, to }) => stepFolder(from) !== undefined && stepFolder(to) !== undefined && stepFolder(from) !== stepFolder(to))
    .map(({ from, to }) => `${from} imports ${to}: a step's contracts belong in domain/, its S3 helpers in adapters/`);
}

function layerViolations(edges: readonly Edge[]): string[] {
  return edges.flatMap(({ from, to }) => {
    const source = topFolder(from);
    if (source === undefined || source === 'test' || !(source in mayImport)) return [];
    if (source === 'domain' && awsPackage.test(to)) return [`${from} imports ${to}: domain/ never imports AWS`];
    const target = topFolder(to);
    if (target === undefined || target === source || !projectFolders.has(target) || mayImport[source]!.includes(target)) return [];
    if (knownExceptions.some((exception) => exception.from === from && exception.to === to)) return [];
    return [`${from} imports ${to}: ${source}/ may import ${mayImport[source]!.join(', ') || 'nothing else'}`];
  });
}

/** Inside local/ (README "Layout"): the runtime and the generator are libraries of the CLI, never the other way round. */
const localParts: Readonly<Record<string, readonly string[]>> = { runtime: ['runtime'], generate: ['generate'], cli: ['cli', 'runtime', 'generate'] };
const localPart = (path: string) => /^local\/([^/]+)\//.exec(path)?.[1];

function localViolations(edges: readonly Edge[]): string[] {
  return edges.flatMap(({ from, to }) => {
    const source = localPart(from);
    const target = localPart(to);
    if (source === undefined || target === undefined || (localParts[source] ?? []).includes(target)) return [];
    return [`${from} imports ${to}: local/${source}/ may import local/${(localParts[source] ?? []).join(', local/')}/ only`];
  });
}

describe('the import graph', () => {
  const graph = importGraph();

  it('is read from every script, with dynamic imports and worker URLs', () => {
    // Assess
    const edges = new Set(graph.map(({ from, to }) => `${from} -> ${to}`));
    expect(new Set(graph.map(({ from }) => from)).size).toBeGreaterThan(200);
    expect([...edges]).toEqual(
      expect.arrayContaining([
        'local/runtime/functions.ts -> lambdas/prepare-run/handler.ts',
        'local/runtime/functions.ts -> lambdas/evaluate-shard/handler.ts',
        'local/runtime/http-server.ts -> lambdas/can-send-sms/handler.ts',
        'lambdas/build-customer-facts/build.ts -> domain/run/lake-tables.ts',
        'domain/values/phone.ts -> libphonenumber-js/min',
        'lib/lake-access.ts -> domain/run/run-layout.ts',
      ]),
    );
  });

  it('reports a handler importing another, a step module importing a handler, a step reaching another step, a layer crossed', () => {
    // Prepare
    const edges: Edge[] = [
      { from: 'lambdas/report/handler.ts', to: 'lambdas/finalize/handler.ts' },
      { from: 'lambdas/genesys-push/push.ts', to: 'lambdas/export-lists/exports.ts' },
      { from: 'local/cli/explain.ts', to: 'lambdas/evaluate-shard/handler.ts' },
      { from: 'domain/values/phone.ts', to: '@aws-sdk/client-s3' },
      { from: 'adapters/step.ts', to: 'local/runtime/runtime.ts' },
      { from: 'local/runtime/functions.ts', to: 'lambdas/report/handler.ts' },
      { from: 'lambdas/report/handler.ts', to: 'lambdas/report/report.ts' },
    ];
    // Act
    const found = [...handlerViolations(edges), ...crossStepViolations(edges), ...layerViolations(edges)];
    // Assess
    expect(found).toEqual([
      'lambdas/report/handler.ts imports the handler lambdas/finalize/handler.ts: only lib/ and the local bindings may',
      'local/cli/explain.ts imports the handler lambdas/evaluate-shard/handler.ts: only lib/ and the local bindings may',
      "lambdas/report/handler.ts imports lambdas/finalize/handler.ts: a step's contracts belong in domain/, its S3 helpers in adapters/",
      "lambdas/genesys-push/push.ts imports lambdas/export-lists/exports.ts: a step's contracts belong in domain/, its S3 helpers in adapters/",
      'domain/values/phone.ts imports @aws-sdk/client-s3: domain/ never imports AWS',
      'adapters/step.ts imports local/runtime/runtime.ts: adapters/ may import domain, config, sql',
    ]);
  });

  it('has handlers as leaves: only lib/, the local bindings and tests import lambdas/<step>/handler.ts', () => {
    expect(handlerViolations(graph)).toEqual([]);
  });

  it('keeps each step in its folder: nothing under lambdas/<a>/ imports from lambdas/<b>/', () => {
    expect(crossStepViolations(graph)).toEqual([]);
  });

  it("keeps each top-level folder to the imports of the README's layout table", () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('keeps the parts of local/ apart: the runtime and the generator never import the CLI, nor each other', () => {
    expect(localViolations(graph)).toEqual([]);
    const crossed: Edge[] = [
      { from: 'local/runtime/daily-run.ts', to: 'local/cli/format.ts' },
      { from: 'local/generate/feeds.ts', to: 'local/runtime/runtime.ts' },
      { from: 'local/cli/commands/run.ts', to: 'local/runtime/daily-run.ts' },
    ];
    expect(localViolations(crossed)).toEqual([
      'local/runtime/daily-run.ts imports local/cli/format.ts: local/runtime/ may import local/runtime/ only',
      'local/generate/feeds.ts imports local/runtime/runtime.ts: local/generate/ may import local/generate/ only',
    ]);
  });

  it('lists no known exception that no longer occurs', () => {
    const edges = new Set(graph.map(({ from, to }) => `${from} -> ${to}`));
    expect(knownExceptions.filter(({ from, to }) => !edges.has(`${from} -> ${to}`))).toEqual([]);
  });
});
