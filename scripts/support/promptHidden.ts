import type { Readable, Writable } from 'node:stream';

type TerminalInput = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\x7f', '\b']);
const INTERRUPT = '\x03';
const END_OF_INPUT = '\x04';

/**
 * Asks for a value on a terminal without echoing what is typed (raw mode), like a password
 * prompt. Ctrl-C aborts with an error; the typed value never reaches the output stream.
 */
export function promptHidden(
  question: string,
  input: TerminalInput,
  output: Writable,
): Promise<string> {
  output.write(question);
  input.setRawMode?.(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (ENTER.has(character)) return finish();
        if (character === INTERRUPT || character === END_OF_INPUT) {
          return finish(new Error('input cancelled'));
        }
        if (BACKSPACE.has(character)) value = value.slice(0, -1);
        else value += character;
      }
    };
    input.on('data', onData);
  });
}
