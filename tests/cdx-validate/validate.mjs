#!/usr/bin/env node
// Validates CycloneDX 1.6 JSON BOMs with the official CycloneDX library and its strict JSON
// schema (npm @cyclonedx/cyclonedx-library, pinned by package-lock.json beside this file).
//
//   node tests/cdx-validate/validate.mjs <file-or-directory>...
//
// Directories are searched recursively for *.cdx.json and *.json files; files named on the
// command line are validated whatever their name. One line per file: "OK <path>" or
// "INVALID <path>: <reason>" followed by the schema errors, indented.
// Exit status: 0 when at least one BOM was validated and all are valid; 1 when any BOM is
// invalid or none was found (a validation that validated nothing fails); 2 on usage errors or
// when the dependencies are not installed (run `npm ci --prefix tests/cdx-validate`).
//
// Besides the schema, two rules of the specification that JSON Schema cannot express are
// checked: every bom-ref is unique in the BOM, and every compositions[].assemblies entry
// names a bom-ref of the BOM. specVersion must be "1.6" (the schema used).

import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'

const INSTALL_HINT = 'run `npm ci --prefix tests/cdx-validate` (from the repository root) to install the pinned validator'

async function loadLibrary () {
  let lib
  try {
    lib = await import('@cyclonedx/cyclonedx-library')
  } catch (err) {
    console.error(`ERROR cannot load @cyclonedx/cyclonedx-library (${err.code ?? err.message}): ${INSTALL_HINT}`)
    process.exit(2)
  }
  return lib
}

async function collect (target, out) {
  let info
  try {
    info = await stat(target)
  } catch (err) {
    throw new Error(`no such file or directory: ${target}`)
  }
  if (info.isDirectory()) {
    const entries = (await readdir(target, { withFileTypes: true }))
      .map(e => e.name)
      .sort()
    for (const name of entries) {
      const full = path.join(target, name)
      const s = await stat(full)
      if (s.isDirectory()) {
        await collect(full, out)
      } else if (name.endsWith('.json')) { // includes *.cdx.json
        out.push(full)
      }
    }
  } else {
    out.push(target)
  }
}

// bom-ref values anywhere in the document (components, nested components, services, tools,
// evidence occurrences, organisations, ...).
function bomRefs (node, out) {
  if (Array.isArray(node)) {
    for (const item of node) bomRefs(item, out)
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'bom-ref' && typeof value === 'string') out.push(value)
      else bomRefs(value, out)
    }
  }
  return out
}

function specErrors (bom) {
  const errors = []
  if (bom === null || typeof bom !== 'object' || Array.isArray(bom)) return ['the document is not a JSON object']
  if (bom.specVersion !== '1.6') errors.push(`specVersion is ${JSON.stringify(bom.specVersion)}, expected "1.6"`)
  const refs = bomRefs(bom, [])
  const seen = new Set()
  for (const ref of refs) {
    if (seen.has(ref)) errors.push(`bom-ref ${JSON.stringify(ref)} is not unique`)
    seen.add(ref)
  }
  for (const composition of Array.isArray(bom.compositions) ? bom.compositions : []) {
    for (const ref of Array.isArray(composition?.assemblies) ? composition.assemblies : []) {
      if (typeof ref === 'string' && !ref.startsWith('urn:cdx:') && !seen.has(ref)) {
        errors.push(`compositions assembly ${JSON.stringify(ref)} names no bom-ref of this BOM`)
      }
    }
  }
  return errors
}

function describe (schemaErrors) {
  if (!Array.isArray(schemaErrors)) return [JSON.stringify(schemaErrors)]
  return schemaErrors.map(e => {
    const where = e.instancePath === '' ? '(root)' : e.instancePath
    const params = e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''
    return `${where}: ${e.message}${params}`
  })
}

async function main (args) {
  if (args.length === 0) {
    console.error('usage: node validate.mjs <file-or-directory>...')
    return 2
  }
  const { Spec, Validation } = await loadLibrary()
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6)

  const files = []
  try {
    for (const target of args) await collect(target, files)
  } catch (err) {
    console.error(`ERROR ${err.message}`)
    return 2
  }
  if (files.length === 0) {
    console.log(`INVALID no BOM (*.json) found in: ${args.join(', ')}`)
    return 1
  }

  let invalid = 0
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    let bom
    try {
      bom = JSON.parse(text)
    } catch (err) {
      console.log(`INVALID ${file}: not JSON: ${err.message}`)
      ++invalid
      continue
    }
    let schemaErrors
    try {
      schemaErrors = await validator.validate(text)
    } catch (err) {
      if (err instanceof Validation.MissingOptionalDependencyError) {
        console.error(`ERROR ${err.message}: ${INSTALL_HINT}`)
        return 2
      }
      throw err
    }
    const problems = [
      ...(schemaErrors === null ? [] : describe(schemaErrors).map(e => `schema: ${e}`)),
      ...specErrors(bom).map(e => `spec: ${e}`)
    ]
    if (problems.length === 0) {
      console.log(`OK ${file}`)
    } else {
      ++invalid
      console.log(`INVALID ${file}: ${problems.length} error(s)`)
      for (const p of problems) console.log(`    ${p}`)
    }
  }
  console.log(`${files.length - invalid} of ${files.length} BOM(s) valid`)
  return invalid === 0 ? 0 : 1
}

main(process.argv.slice(2)).then(
  code => { process.exitCode = code },
  err => {
    console.error(`ERROR ${err.stack ?? err}`)
    process.exitCode = 2
  }
)
