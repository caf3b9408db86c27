interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns many concurrent single calls into one batched call: inputs added in the same tick (or within
 * `waitMs`) are handed to `run` together, and each caller gets the output at its input's position.
 * A batch that fails rejects every caller in it. Used where a round trip per item would dominate
 * (webhook claims and attempt records).
 */
export class Batcher<I, O> {
  private pending: Pending<I, O>[] = [];
  private timer?: NodeJS.Timeout | NodeJS.Immediate;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly options: { waitMs?: number; maxSize?: number } = {},
  ) {}

  add(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= (this.options.maxSize ?? Infinity)) this.flush();
      else if (!this.timer) {
        const waitMs = this.options.waitMs ?? 0;
        this.timer = waitMs > 0 ? setTimeout(() => this.flush(), waitMs) : setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.run(batch.map((p) => p.input)).then(
      (outputs) => batch.forEach((p, i) => p.resolve(outputs[i])),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    );
  }
}
