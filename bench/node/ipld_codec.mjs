// JS anchor for bench/ipld_codec.cpp: measures @ipld/dag-cbor and @ipld/dag-json on the same
// blocks the C++ benchmark wrote. Usage: node ipld_codec.mjs NODE_MODULES_PARENT DATA_DIR SECONDS
// Prints one line per measurement: "<case> <codec> <op> <MB/s>", per second of process CPU
// time (all threads, so garbage collection counts), like the C++ side.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [modulesParent, dataDir, secondsArg] = process.argv.slice(2)
const seconds = Number(secondsArg || '0.5')
const load = (name) => import(pathToFileURL(join(modulesParent, 'node_modules', name, 'src', 'index.js')).href)
const codecs = { 'dag-cbor': await load('@ipld/dag-cbor'), 'dag-json': await load('@ipld/dag-json') }

const cpuSeconds = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

function measure (bytesPerRun, fn) {
  for (let i = 0; i < 3; i++) fn() // warm up the JIT
  let runs = 0
  const start = cpuSeconds()
  let elapsed = 0
  do {
    fn()
    runs++
    elapsed = cpuSeconds() - start
  } while (elapsed < seconds)
  return (bytesPerRun * runs) / elapsed / 1e6
}

for (const kase of ['mixed', 'bytes']) {
  for (const [name, codec] of Object.entries(codecs)) {
    const block = new Uint8Array(readFileSync(join(dataDir, `${kase}.${name}`)))
    const value = codec.decode(block)
    const check = codec.encode(value)
    if (Buffer.compare(Buffer.from(check), Buffer.from(block)) !== 0) {
      console.error(`${kase}.${name}: JS re-encoding differs from the C++ bytes`)
    }
    console.log(`${kase} ${name} decode ${measure(block.length, () => codec.decode(block)).toFixed(1)}`)
    console.log(`${kase} ${name} encode ${measure(block.length, () => codec.encode(value)).toFixed(1)}`)
  }
}
