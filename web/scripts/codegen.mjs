// Generates src/graphql/generated.ts (typed documents for every `.graphql` operation under src/)
// from the composed supergraph. `--check` writes nothing and fails when the file is stale.
//
// The supergraph is reduced to the API clients see (no join/link machinery). Fields the web app
// needs before they are composed can be declared in src/graphql/pending-schema.graphql (optional):
// only what the supergraph lacks is merged, and the script says which parts are now redundant.
import { codegen } from '@graphql-codegen/core';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildASTSchema, Kind, parse, print, visit } from 'graphql';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const supergraphPath = path.resolve(webRoot, '..', 'gateway', 'supergraph.graphql');
const pendingPath = path.join(webRoot, 'src', 'graphql', 'pending-schema.graphql');
const outputPath = path.join(webRoot, 'src', 'graphql', 'generated.ts');
const check = process.argv.includes('--check');

const isMachinery = (name) => name.startsWith('join__') || name.startsWith('link__');

/** The supergraph as clients see it: federation types, directive definitions and usages removed. */
function apiSchemaDocument(sdl) {
  const document = parse(sdl, { noLocation: true });
  const definitions = document.definitions.filter(
    (definition) =>
      definition.kind !== Kind.DIRECTIVE_DEFINITION &&
      definition.kind !== Kind.SCHEMA_DEFINITION &&
      !('name' in definition && definition.name && isMachinery(definition.name.value)),
  );
  return visit({ ...document, definitions }, { Directive: () => null });
}

const TYPE_DEFINITIONS = new Set([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.UNION_TYPE_DEFINITION,
]);

/** The pending definitions the base schema does not have yet, and the names it already has. */
function pendingDefinitions(base) {
  if (!existsSync(pendingPath)) {
    return { definitions: [], composed: [] };
  }
  const pending = parse(readFileSync(pendingPath, 'utf8'), { noLocation: true });
  const types = new Map(
    base.definitions.filter((d) => TYPE_DEFINITIONS.has(d.kind)).map((d) => [d.name.value, d]),
  );
  const composed = [];
  const definitions = [];
  for (const definition of pending.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_EXTENSION) {
      const target = types.get(definition.name.value);
      const existing = new Set((target?.fields ?? []).map((field) => field.name.value));
      const fields = (definition.fields ?? []).filter((field) => {
        const present = existing.has(field.name.value);
        if (present) {
          composed.push(`${definition.name.value}.${field.name.value}`);
        }
        return !present;
      });
      if (fields.length > 0) {
        definitions.push({ ...definition, fields });
      }
    } else if (TYPE_DEFINITIONS.has(definition.kind) && types.has(definition.name.value)) {
      composed.push(definition.name.value);
    } else {
      definitions.push(definition);
    }
  }
  return { definitions, composed };
}

function operationDocuments(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.graphql'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => file !== pendingPath)
    .sort()
    .map((file) => ({
      location: path.relative(webRoot, file),
      document: parse(readFileSync(file, 'utf8')),
    }));
}

async function formatted(source) {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(outputPath)) ?? {};
    return prettier.format(source, { ...options, parser: 'typescript' });
  } catch (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
      return source;
    }
    throw error;
  }
}

const base = apiSchemaDocument(readFileSync(supergraphPath, 'utf8'));
const { definitions, composed } = pendingDefinitions(base);
const schema = { kind: Kind.DOCUMENT, definitions: [...base.definitions, ...definitions] };
// Throws with the offending names when the merged SDL does not make a valid schema.
const schemaAst = buildASTSchema(schema);
const documents = operationDocuments(path.join(webRoot, 'src'));

const body = await codegen({
  filename: outputPath,
  schema: parse(print(schema)),
  schemaAst,
  documents,
  plugins: [{ 'typescript-operations': {} }, { 'typed-document-node': {} }],
  pluginMap: {
    'typescript-operations': typescriptOperations,
    'typed-document-node': typedDocumentNode,
  },
  config: {
    useTypeImports: true,
    enumType: 'string-literal',
    strictScalars: true,
    scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
    avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
  },
});

const header = [
  '// Generated by web/scripts/codegen.mjs from gateway/supergraph.graphql and src/**/*.graphql.',
  '// Do not edit: run `npm run codegen -w web`.',
  '',
].join('\n');
const output = await formatted(`${header}${body}`);

if (composed.length > 0) {
  console.warn(
    `codegen: already in the supergraph, remove from src/graphql/pending-schema.graphql: ${composed.join(', ')}`,
  );
}

if (check) {
  const current = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : '';
  if (current !== output) {
    console.error(
      'codegen: src/graphql/generated.ts is stale; run `npm run codegen -w web` and commit it.',
    );
    process.exit(1);
  }
  console.log('codegen: src/graphql/generated.ts is current');
} else {
  writeFileSync(outputPath, output);
  console.log(
    `codegen: wrote ${path.relative(webRoot, outputPath)} (${documents.length} documents)`,
  );
}
