import type { ArgDef, CommandDef, CommandMeta } from 'citty';

export interface HelpStyle {
  /** ANSI colours and bold headings; only for a terminal that wants them (see {@link helpStyleFor}). */
  color: boolean;
  /** Lines are wrapped to this many columns and never padded. */
  width: number;
}

/**
 * How help is written to `stream`: coloured only on a terminal whose environment allows colour
 * (`NO_COLOR`, `FORCE_COLOR=0`, `TERM=dumb` turn it off), wrapped to the terminal's width, or to
 * 80 columns in a file or pipe.
 */
export function helpStyleFor(stream: NodeJS.WriteStream): HelpStyle {
  const terminal = stream.isTTY === true;
  return {
    color: terminal && typeof stream.hasColors === 'function' && stream.hasColors(),
    width: terminal && stream.columns ? Math.max(60, Math.min(stream.columns, 120)) : 80,
  };
}

/**
 * The help of `command` (a subcommand of `parent`, or the root when `parent` is absent) as plain
 * text: options spelt as they are typed (`--max-batch`), required positionals as `<NAME>` and
 * optional ones as `[NAME]`, descriptions wrapped under their column, no trailing spaces.
 */
export async function renderHelp(
  command: CommandDef,
  parent: CommandDef | undefined,
  style: HelpStyle,
): Promise<string> {
  const meta = await resolve<CommandMeta>(command.meta);
  const parentMeta = parent ? await resolve<CommandMeta>(parent.meta) : undefined;
  const args = Object.entries((await resolve<Record<string, ArgDef>>(command.args)) ?? {});
  const name = [parentMeta?.name, meta?.name].filter(Boolean).join(' ');
  const paint = painter(style.color);
  const lines: string[] = [];

  const version = meta?.version ?? parentMeta?.version;
  const [summary, ...paragraphs] = (meta?.description ?? '').split(/\n\n+/);
  lines.push(
    ...wrap(`${paint.bold(name)}${version && !parent ? ` ${version}` : ''} — ${summary}`, style.width),
  );

  const positionals = args.filter(([, arg]) => arg.type === 'positional');
  const options = args.filter(([, arg]) => arg.type !== 'positional');
  const usage = [`${name}`];
  const subCommands = await resolve<Record<string, unknown>>(command.subCommands);
  if (subCommands) usage.push('<command>');
  for (const [key, arg] of positionals) {
    usage.push(isRequired(arg) ? `<${key.toUpperCase()}>` : `[${key.toUpperCase()}]`);
  }
  for (const [key, arg] of options) {
    if (arg.required === true && arg.default === undefined)
      usage.push(`${optionName(key)}${valueHint(key, arg)}`);
  }
  usage.push('[options]');
  lines.push('', `${paint.heading('Usage:')} ${usage.join(' ')}`);

  if (positionals.length) {
    lines.push('', paint.heading('Arguments:'));
    lines.push(
      ...table(
        positionals.map(([key, arg]) => [
          key.toUpperCase(),
          [arg.description, isRequired(arg) ? '(required)' : '', defaultHint(arg)].filter(Boolean).join(' '),
        ]),
        style,
        paint,
      ),
    );
  }

  const optionRows = options.map(([key, arg]): [string, string] => [
    [...aliases(arg).map((alias) => `-${alias}`), `${optionName(key)}${valueHint(key, arg)}`].join(', '),
    [arg.description, arg.required === true ? '(required)' : '', defaultHint(arg)].filter(Boolean).join(' '),
  ]);
  optionRows.push(['-h, --help', 'Show this help.']);
  if (!parent) optionRows.push(['-v, --version', 'Print the version.']);
  lines.push('', paint.heading('Options:'), ...table(optionRows, style, paint));

  if (subCommands) {
    const rows: [string, string][] = [];
    for (const [key, load] of Object.entries(subCommands)) {
      const sub = await resolve<CommandDef>(load);
      const subMeta = await resolve<CommandMeta>(sub?.meta);
      if (subMeta?.hidden) continue;
      rows.push([key, firstSentence(subMeta?.description ?? '')]);
    }
    lines.push('', paint.heading('Commands:'), ...table(rows, style, paint));
  }
  for (const paragraph of paragraphs) lines.push('', ...wrap(paragraph, style.width));
  if (subCommands) lines.push('', `Run \`${name} <command> --help\` for a command's arguments and options.`);
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

function isRequired(arg: ArgDef): boolean {
  return arg.required !== false && arg.default === undefined;
}

/** An option as it is typed: citty accepts the kebab-case form of a camelCase key. */
export function optionName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function valueHint(key: string, arg: ArgDef): string {
  if (arg.type === 'boolean' || arg.type === 'positional') return '';
  if (arg.type === 'enum' && arg.options?.length) return ` <${arg.options.join('|')}>`;
  return ` <${arg.valueHint ?? optionName(key).slice(2)}>`;
}

function defaultHint(arg: ArgDef): string {
  if (arg.default === undefined || arg.default === false || arg.default === '') return '';
  return `(default: ${String(arg.default)})`;
}

function aliases(arg: ArgDef): string[] {
  return 'alias' in arg && arg.alias ? [arg.alias].flat() : [];
}

function firstSentence(text: string): string {
  const match = /^.*?[.!?](?=\s|$)/s.exec(text);
  return (match?.[0] ?? text).replace(/\s+/g, ' ');
}

/** Two columns: names, then descriptions wrapped to the width with a hanging indent. */
function table(rows: readonly [string, string][], style: HelpStyle, paint: Painter): string[] {
  const nameWidth = Math.min(Math.max(...rows.map(([name]) => name.length)), 28);
  const indent = 2 + nameWidth + 2;
  const lines: string[] = [];
  for (const [name, description] of rows) {
    const wrapped = wrap(description, Math.max(style.width - indent, 30));
    if (name.length > nameWidth) {
      lines.push(`  ${paint.name(name)}`);
      for (const line of wrapped) lines.push(`${' '.repeat(indent)}${line}`);
      continue;
    }
    const [first = '', ...rest] = wrapped;
    lines.push(`  ${paint.name(name)}${' '.repeat(nameWidth - name.length + 2)}${first}`);
    for (const line of rest) lines.push(`${' '.repeat(indent)}${line}`);
  }
  return lines;
}

/**
 * Words filled into lines of at most `width` columns (a longer word gets a line of its own). A line
 * break in `text` is kept, and so is the indentation after it.
 */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const hardLine of text.split('\n')) {
    const indent = /^ */.exec(hardLine)![0];
    let line = '';
    for (const word of hardLine.split(/\s+/).filter(Boolean)) {
      if (line && visibleLength(indent + line) + 1 + visibleLength(word) > width) {
        lines.push(indent + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) lines.push(indent + line);
  }
  return lines;
}

function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

interface Painter {
  bold(text: string): string;
  heading(text: string): string;
  name(text: string): string;
}

function painter(color: boolean): Painter {
  const ansi = (open: number, close: number) => (text: string) =>
    color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return { bold: ansi(1, 22), heading: ansi(1, 22), name: ansi(36, 39) };
}

async function resolve<T>(value: unknown): Promise<T | undefined> {
  const resolved = typeof value === 'function' ? await (value as () => unknown)() : await value;
  return resolved as T | undefined;
}
