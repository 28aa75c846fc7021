/**
 * A throwaway PostgreSQL server for the indexer's smoke test: Debian's `postgresql` package (installed through apt when
 * missing, as the test machines run as root), a fresh cluster in a temporary folder, listening on 127.0.0.1 only, with
 * trust authentication for one local user; `stop()` shuts it down and deletes the folder. As root, the cluster runs as
 * the package's `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

export interface Postgres {
  url: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin folder (/usr/lib/postgresql/<major>/bin), installing the package if needed. */
export function ensurePostgres(log: (message: string) => void = console.log): string {
  const find = () => {
    const root = "/usr/lib/postgresql";
    if (!existsSync(root)) return undefined;
    const majors = readdirSync(root)
      .filter((name) => existsSync(path.join(root, name, "bin/initdb")))
      .sort((a, b) => Number(b) - Number(a));
    return majors.length > 0 ? path.join(root, majors[0], "bin") : undefined;
  };
  const found = find();
  if (found) return found;
  if (userInfo().uid !== 0) throw new Error("PostgreSQL is not installed: run `apt-get install -y postgresql` as root");
  log("Installing PostgreSQL from Debian's packages (apt-get install -y postgresql)…");
  const apt = (...args: string[]) =>
    execFileSync("apt-get", args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  apt("update");
  apt("install", "-y", "--no-install-recommends", "postgresql");
  const installed = find();
  if (!installed) throw new Error("apt-get installed postgresql but no initdb was found under /usr/lib/postgresql");
  return installed;
}

export async function startPostgres(port: number, log?: (message: string) => void): Promise<Postgres> {
  const bin = ensurePostgres(log);
  const dir = mkdtempSync(path.join(tmpdir(), "kaquan-pg-"));
  const data = path.join(dir, "data");
  const asRoot = userInfo().uid === 0;
  // PostgreSQL refuses to run as root: the cluster belongs to the package's `postgres` user then.
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chmodSync(dir, 0o755);
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? "runuser" : path.join(bin, tool);
    const full = asRoot ? ["-u", "postgres", "--", path.join(bin, tool), ...args] : args;
    const result = spawnSync(command, full, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
  };
  const user = "kaquan";
  run("initdb", ["-D", data, "-U", user, "--auth=trust", "--encoding=UTF8", "--no-sync"]);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off`;
  run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "30", "start"]);
  return {
    url: `postgres://${user}@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
