import { DemoLoopScheduler } from './demo-loop.scheduler';

const until = async (probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('DemoLoopScheduler', () => {
  it('repeats a tick until stopped, going on after a tick that throws', async () => {
    const sut = new DemoLoopScheduler();
    const errors: unknown[] = [];
    let ticks = 0;
    sut.every(
      0,
      () => 1,
      () => {
        ticks += 1;
        return ticks === 2 ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
      (error) => errors.push(error),
    );
    await until(() => ticks >= 4);
    await sut.stop();

    expect(ticks).toBeGreaterThanOrEqual(4);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('stops at once while sleeping, and waits for a tick in flight to finish', async () => {
    const sut = new DemoLoopScheduler();
    let finish: () => void = () => undefined;
    let started = 0;
    let finished = 0;
    sut.every(
      0,
      () => 60_000,
      async () => {
        started += 1;
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        finished += 1;
      },
      () => undefined,
    );
    sut.every(
      60_000,
      () => 60_000,
      () => Promise.resolve(),
      () => undefined,
    );
    await until(() => started === 1);

    let stopped = false;
    const stopping = sut.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);

    finish();
    await stopping;
    expect({ started, finished, stopped }).toEqual({ started: 1, finished: 1, stopped: true });
    await expect(sut.sleep(10)).resolves.toBe(false);
  });
});
