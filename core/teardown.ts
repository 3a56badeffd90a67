/**
 * Resources opened one after another and closed in reverse order: the one place a stop and a
 * failed start both go through. Each resource registers its close as it is opened, so nothing
 * opened is forgotten and nothing is closed before what depends on it.
 */
export class Teardown {
  private readonly steps: { readonly name: string; readonly close: () => Promise<void> | void }[] = [];
  private closing?: Promise<void>;

  /** Registers `resource`'s close and returns the resource. */
  add<T>(name: string, resource: T, close: (resource: T) => Promise<unknown> | unknown): T {
    this.steps.push({ name, close: async () => void (await close(resource)) });
    return resource;
  }

  /** Registers a close step without a resource. */
  defer(name: string, close: () => Promise<unknown> | unknown): void {
    this.steps.push({ name, close: async () => void (await close()) });
  }

  /**
   * Closes everything in reverse order, once (later calls wait for the first). Every step runs even
   * when one fails; the first failure is then thrown, naming its step.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const failures: Error[] = [];
      for (const step of this.steps.splice(0).reverse()) {
        try {
          await step.close();
        } catch (err) {
          failures.push(new Error(`closing ${step.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
        }
      }
      if (failures.length > 0) throw failures[0];
    })();
    return this.closing;
  }
}
