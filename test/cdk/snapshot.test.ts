import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { hubApp } from './hub-app.js';

/**
 * Asset hashes change with every handler edit (and the console build); they are replaced so the
 * snapshot shows only what the template says about resources and wiring.
 */
function stableTemplate(template: unknown): unknown {
  const text = JSON.stringify(template)
    .replace(/[0-9a-f]{64}(\.zip|\.json)?/g, '<asset-hash>$1')
    .replace(/"aws:asset:[a-z-]+":"[^"]*"/g, '"aws:asset":"<stripped>"');
  return JSON.parse(text);
}

/**
 * The whole template of the ready-made stack, as `cdk synth` builds it: handlers really bundled by
 * esbuild and aws-cdk-lib's built-in CloudFormation validation on. Review the snapshot diff with
 * every infrastructure change.
 */
describe('lib/TelematicsHub (template snapshot)', () => {
  let template: Template;
  let outdir: string;
  beforeAll(() => {
    const { app, stack } = hubApp({ bundle: true, validate: true });
    template = Template.fromStack(stack);
    outdir = app.outdir;
  }, 300_000);

  it('bundles every handler with esbuild (no placeholder assets)', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => String(f.Properties.Runtime).startsWith('nodejs'));
    // registry, authorizer, ingest, five stream functions, live push (route + push), the history archiver (cold history is on in the default profile), the calculators' tick
    expect(functions).toHaveLength(12);
    const manifest = JSON.parse(readFileSync(join(outdir, 'TelematicsHub.assets.json'), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    for (const fn of functions) {
      const asset = manifest.files[String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')];
      expect(existsSync(join(outdir, asset.source.path, 'index.js')), fn.Properties.Description).toBe(true);
    }
  });

  it('passes the built-in CloudFormation schema validation without findings', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    for (const plugin of report.pluginReports) {
      expect(plugin.conclusion, plugin.pluginName).toBe('success');
      expect(plugin.violations, plugin.pluginName).toEqual([]);
    }
  });

  it('matches the reviewed snapshot', () => {
    expect(stableTemplate(template.toJSON())).toMatchSnapshot();
  });
});
