// Reads what `turnpike start` prints: where everything listens, the admin token printed on first
// start, and the demo's curl command.

export interface Banner {
  gateway: string;
  admin: string;
  portal: string;
  status: string;
  /** The generated admin token, when one was printed. */
  token: string | undefined;
  /** The curl command of --demo, as printed. */
  curl: string | undefined;
  /** The demo key inside the curl command. */
  demoKey: string | undefined;
  database: string | undefined;
}

export function parseBanner(out: string): Banner {
  const find = (pattern: RegExp) => pattern.exec(out)?.[1];
  return {
    gateway: find(/^ {2}gateway +(http:\S+)/m) ?? '',
    admin: find(/^ {2}admin API +(http:\S+?)\/admin\/v1 /m) ?? '',
    portal: find(/^ {2}portal +(http:\S+)$/m) ?? '',
    status: find(/^ {2}status +(http:\S+?)\/ready$/m) ?? '',
    token: find(/^ {2}(tpa_\S+)$/m),
    curl: find(/^ {2}(curl .+)$/m),
    demoKey: find(/X-API-Key: (tp_\w+)/),
    database: find(/\(embedded database: (.+)\)$/m),
  };
}
