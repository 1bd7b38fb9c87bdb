import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * What the demo remembers between runs, in `${dataDir}/demo.json`. It holds a password and agent
 * keys, so the file is readable by its owner only.
 */
const demoStateSchema = z.object({
  version: z.literal(1),
  email: z.string().min(1),
  password: z.string().min(10),
  /** False until signUp succeeded, so a crash in between is recovered with logIn, not a retry. */
  signedUp: z.boolean(),
  workspaceId: z.string().min(1).nullable(),
  agents: z.array(
    z.object({
      name: z.string().min(1),
      agentId: z.string().min(1),
      key: z.string().min(1).nullable(),
    }),
  ),
  backlogSeeded: z.boolean(),
  /** The budget the demo set (kept when a person deletes it, so it is not made again). */
  budgetId: z.string().min(1).nullable().default(null),
});

export type DemoState = z.output<typeof demoStateSchema>;
export type StoredAgent = DemoState['agents'][number];

export const DEMO_STATE_FILE = 'demo.json';

export class DemoStateError extends Error {
  override name = 'DemoStateError';
}

// Duck-typed: errors from node:fs are not always instances of this realm's Error (jest's vm).
const isMissingFile = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

export class DemoStateRepository {
  readonly file: string;
  // Saves run one after another, so concurrent updates land in the order they were made.
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, DEMO_STATE_FILE);
  }

  /** The stored state, or null on a first run. A file that is not ours stops the start. */
  async load(): Promise<DemoState | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) {
        return null;
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DemoStateError(`${this.file} is not JSON; remove it to start a new demo`);
    }
    const parsed = demoStateSchema.safeParse(json);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
      throw new DemoStateError(
        `${this.file} is not a demo state (bad: ${[...new Set(fields)].join(', ')}); remove it to start a new demo`,
      );
    }
    return parsed.data;
  }

  /** Writes a copy of `state`; a crash mid-write leaves the previous file whole. */
  save(state: DemoState): Promise<void> {
    const text = `${JSON.stringify(demoStateSchema.parse(state), null, 2)}\n`;
    const write = async () => {
      await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, text, { mode: 0o600 });
      // The mode given to writeFile applies only when the file is created.
      await chmod(temporary, 0o600);
      await rename(temporary, this.file);
    };
    const saved = this.queue.then(write);
    this.queue = saved.catch(() => undefined);
    return saved;
  }
}
