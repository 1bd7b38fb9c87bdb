// Where a .cpuprofile's time went, by layer of the request path: the self time of every sampled
// function, grouped by the package or project its script belongs to.
import { readFileSync } from 'node:fs';

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** First match wins: more specific packages before the broader ones. */
const LAYERS: [string, RegExp][] = [
  ['idle', /^\((idle)\)$/],
  ['garbage collection', /^\((garbage collector)\)$/],
  [
    'federation (query plan, fetch, merge)',
    /node_modules\/@apollo\/(gateway|query-planner|federation-internals|composition)\//,
  ],
  ['Apollo Server', /node_modules\/@apollo\/(server|utils|usage-reporting)/],
  ['GraphQL parse/validate/execute', /node_modules\/graphql\//],
  ['Nest GraphQL and pipes', /node_modules\/@nestjs\/(graphql|apollo)\//],
  ['Nest core', /node_modules\/@nestjs\//],
  ['Prisma client', /node_modules\/@prisma\/|generated\/prisma|query_compiler/],
  ['pg driver', /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//],
  ['logging (pino)', /node_modules\/(pino|pino-http|nestjs-pino|sonic-boom|fast-redact)/],
  [
    'live push (socket.io, ws)',
    /node_modules\/(socket\.io|engine\.io|ws|socket\.io-adapter|socket\.io-parser)/,
  ],
  [
    'HTTP (Express, body parsing, fetch)',
    /node_modules\/(express|router|body-parser|raw-body|iconv-lite|cors|helmet|undici|finalhandler|send|on-finished|content-type|type-is|qs|cookie)/,
  ],
  ['Next.js', /node_modules\/next\//],
  ['tokens and signatures (jose)', /node_modules\/jose\//],
  ['class-validator/transformer', /node_modules\/class-(validator|transformer)\//],
  ['protobuf', /node_modules\/(@bufbuild|protobufjs)/],
  ['other packages', /node_modules\//],
  ['gateway (ours)', /\/gateway\/dist\//],
  ['mission service (ours)', /\/services\/mission\/dist\//],
  ['identity service (ours)', /\/services\/identity\/dist\//],
  ['agent service (ours)', /\/services\/agent\/dist\//],
  ['analytics service (ours)', /\/services\/analytics\/dist\//],
  ['eventing (ours)', /\/libs\/eventing\/dist\//],
  ['auth (ours)', /\/libs\/auth\/dist\//],
  ['other libs (ours)', /\/(libs|proto)\/[^/]+\/dist\//],
  [
    'Node HTTP and sockets',
    /^node:(_http|http|net|stream|internal\/(http|streams|stream_base|js_stream))/,
  ],
  ['Node internals', /^node:/],
  ['native and (program)', /.*/],
];

const layerOf = (node: ProfileNode): string => {
  const key = node.callFrame.url || `(${node.callFrame.functionName || 'program'})`;
  return LAYERS.find(([, pattern]) => pattern.test(key))?.[0] ?? 'native and (program)';
};

export type ProfileSummary = {
  totalMs: number;
  busyMs: number;
  layers: { layer: string; ms: number; share: number }[];
  functions: { name: string; ms: number }[];
};

export function summarise(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const layers = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    totalMs += ms;
    const layer = layerOf(node);
    layers.set(layer, (layers.get(layer) ?? 0) + ms);
    const where = node.callFrame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^.*\/work\/[^/]+\//, '');
    const name = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const busyMs = totalMs - (layers.get('idle') ?? 0);
  return {
    totalMs: Math.round(totalMs),
    busyMs: Math.round(busyMs),
    layers: [...layers]
      .filter(([layer]) => layer !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([layer, ms]) => ({
        layer,
        ms: Math.round(ms),
        share: Math.round((ms / busyMs) * 1000) / 10,
      })),
    functions: [...functions]
      .filter(([name]) => !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms) })),
  };
}

/** `node bench/dist/api/profile-summary.js <file.cpuprofile>…` prints each profile's layers. */
if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    const summary = summarise(file, 25);
    console.log(`\n${file}: ${summary.busyMs} ms busy of ${summary.totalMs} ms`);
    summary.layers.forEach((l) => console.log(`  ${String(l.share).padStart(5)}%  ${l.layer}`));
    console.log('  top functions (self time):');
    summary.functions.forEach((f) => console.log(`  ${String(f.ms).padStart(6)} ms  ${f.name}`));
  }
}
