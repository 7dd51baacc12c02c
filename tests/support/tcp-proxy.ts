import { once } from "node:events";
import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of a database server that can be made to hang: while hung it accepts
 * connections and takes in bytes but forwards nothing either way, as a database stuck on a full disk
 * or a dead network path would. Resuming forwards what was held back.
 */
export class HangingProxy {
  private server: Server | undefined;
  private hung = false;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | undefined; held: Buffer[] }>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => this.accept(client));
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  hang(): void {
    this.hung = true;
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  resume(): void {
    this.hung = false;
    for (const pair of this.pairs) this.connectUpstream(pair);
    for (const pair of this.pairs) {
      pair.client.resume();
      pair.upstream?.resume();
    }
  }

  async stop(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private accept(client: Socket): void {
    const pair = { client, upstream: undefined as Socket | undefined, held: [] as Buffer[] };
    this.pairs.add(pair);
    client.on("data", (chunk: Buffer) => {
      if (pair.upstream && !this.hung) pair.upstream.write(chunk);
      else pair.held.push(chunk);
    });
    const forget = () => {
      pair.upstream?.destroy();
      client.destroy();
      this.pairs.delete(pair);
    };
    client.on("close", forget);
    client.on("error", forget);
    if (!this.hung) this.connectUpstream(pair);
  }

  private connectUpstream(pair: { client: Socket; upstream: Socket | undefined; held: Buffer[] }): void {
    if (pair.upstream || pair.client.destroyed) return;
    const upstream = createConnection(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    for (const chunk of pair.held.splice(0)) upstream.write(chunk);
    upstream.on("data", (chunk: Buffer) => {
      if (!pair.client.destroyed) pair.client.write(chunk);
    });
    const close = () => pair.client.destroy();
    upstream.on("close", close);
    upstream.on("error", close);
  }
}
