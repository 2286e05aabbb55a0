// dugong-adm: the operator CLI (composition root: real streams, real adapters; the verbs live in src/adm/).
import { runAdm } from '../adm/program.js';

const status = await runAdm(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
// Every verb closed its ZooKeeper session; leave now rather than wait for a library timer to let go.
process.exitCode = status;
setTimeout(() => process.exit(status), 500).unref();
