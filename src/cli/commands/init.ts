import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { starterPolicy } from '../../policy/init.js';
import { DEFAULT_POLICY_PATH, parsePolicyText } from '../../policy/load.js';
import { writeFileAtomic } from '../../util/write-file.js';
import type { Command } from '../command.js';
import { EXIT } from '../io.js';

export const initCommand: Command = {
  name: 'init',
  args: '[DIR]',
  summary: `Write a starter policy to DIR/${DEFAULT_POLICY_PATH}`,
  options: {
    preset: { type: 'string', default: 'recommended', value: 'NAME', description: 'recommended (default) or strict' },
  },
  async run(values, positionals, io) {
    const preset = values.preset as string;
    if (preset !== 'recommended' && preset !== 'strict') throw new UserError('ERR_USAGE', `--preset must be recommended or strict, not '${preset}'`);
    const file = path.resolve(io.cwd, positionals[0] ?? '.', DEFAULT_POLICY_PATH);
    if (existsSync(file)) {
      throw new UserError('ERR_EXISTS', `${path.relative(io.cwd, file) || file} already exists; not overwriting it (edit it, or remove it first)`);
    }
    const text = starterPolicy(preset);
    parsePolicyText(text, file); // the starter must itself be valid
    await writeFileAtomic(file, text);
    io.stdout.write(`wrote ${path.relative(io.cwd, file)} (extends '${preset}'); commit it, and jwt-guard scan will use it\n`);
    return EXIT.clean;
  },
};
