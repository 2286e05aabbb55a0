// The SMF manifests (smf/*.xml): well-formed and DTD-valid with xmllint where available, and structurally checked here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const SERVICES = ['sitter', 'backupserver', 'snapshotter'] as const;
const ILLUMOS_DTD = '/usr/share/lib/xml/dtd/service_bundle.dtd.1';

interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

/** Enough XML for a manifest: declarations, comments, elements, double-quoted attributes, text. */
function parseXml(source: string): XmlElement {
  const body = source.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^>]*>/, '');
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (let match = token.exec(body); match !== null; match = token.exec(body)) {
    const [, closing, name = '', rawAttrs = '', selfClosing, text] = match;
    const top = stack[stack.length - 1];
    if (top === undefined) throw new Error('unbalanced XML');
    if (text !== undefined) {
      top.text += text.trim();
    } else if (closing === '/') {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs = Object.fromEntries([...rawAttrs.matchAll(/([\w:.-]+)="([^"]*)"/g)].map(([, k = '', v = '']) => [k, v.replace(/&amp;/g, '&')]));
      const element: XmlElement = { name, attrs, children: [], text: '' };
      top.children.push(element);
      if (selfClosing !== '/') stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error('unclosed elements');
  return root;
}

const all = (element: XmlElement, name: string): XmlElement[] => element.children.filter((child) => child.name === name);
const one = (element: XmlElement, name: string): XmlElement => {
  const [found, ...more] = all(element, name);
  if (found === undefined || more.length > 0) throw new Error(`expected exactly one <${name}> in <${element.name}>`);
  return found;
};

// The order the DTD's content model of <service> demands.
const SERVICE_CHILD_ORDER = ['create_default_instance', 'single_instance', 'restarter', 'dependency', 'dependent', 'method_context', 'exec_method', 'property_group', 'instance', 'stability', 'template'];

describe.each(SERVICES)('smf/dugong-%s.xml', (service) => {
  const path = `${ROOT}smf/dugong-${service}.xml`;
  const source = readFileSync(path, 'utf8');

  it('is well-formed (xmllint) and valid against the illumos DTD when this host has it', () => {
    const xmllint = spawnSync('which', ['xmllint']).status === 0;
    if (!xmllint) return;
    execFileSync('xmllint', ['--noout', '--nonet', path], { stdio: 'pipe' });
    if (existsSync(ILLUMOS_DTD)) execFileSync('xmllint', ['--noout', '--valid', path], { stdio: 'pipe' });
  });

  it('declares one service with start/stop methods, network and filesystem dependencies, config and a template', () => {
    const bundle = one(parseXml(source), 'service_bundle');
    expect(bundle.attrs).toEqual({ type: 'manifest', name: `dugong-${service}` });
    const svc = one(bundle, 'service');
    expect(svc.attrs).toEqual({ name: `application/dugong/${service}`, type: 'service', version: '1' });
    const order = svc.children.map((child) => SERVICE_CHILD_ORDER.indexOf(child.name));
    expect(order.every((index) => index >= 0), 'only elements the DTD allows in <service>').toBe(true);
    expect(order, 'children in DTD order').toEqual([...order].sort((a, b) => a - b));

    const dependencies = Object.fromEntries(all(svc, 'dependency').map((d) => [d.attrs['name'], { ...d.attrs, fmri: one(d, 'service_fmri').attrs['value'] }]));
    expect(dependencies['network']).toMatchObject({ grouping: 'require_all', type: 'service', fmri: 'svc:/milestone/network:default' });
    expect(dependencies['filesystem']).toMatchObject({ grouping: 'require_all', type: 'service', fmri: 'svc:/system/filesystem/local' });

    const methods: Record<string, Readonly<Record<string, string>>> = Object.fromEntries(all(svc, 'exec_method').map((m) => [m.attrs['name'] ?? '', m.attrs]));
    expect(methods['start']).toMatchObject({ type: 'method', exec: `/opt/dugong/bin/dugong-${service} -f %{config/file} &` });
    expect(methods['stop']?.['exec']).toBeTruthy();
    for (const method of Object.values(methods)) expect(Number(method['timeout_seconds'])).toBeGreaterThan(0);

    expect(one(one(svc, 'method_context'), 'method_credential').attrs['user']).toBe('root');
    const config = all(svc, 'property_group').find((group) => group.attrs['name'] === 'config');
    expect(config?.children.map((p) => p.attrs)).toEqual([{ name: 'file', type: 'astring', value: `/opt/dugong/etc/${service}.json` }]);
    expect(one(one(one(svc, 'template'), 'common_name'), 'loctext').text).toMatch(/^Dugong /);
  });

  it('stops the sitter by signalling only the sitter, so it can hand over and stop PostgreSQL itself', () => {
    if (service !== 'sitter') return;
    expect(source).toContain('exec="/usr/bin/pkill -TERM -c %{restarter/contract} -x node"');
  });
});
