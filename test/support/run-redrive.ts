// Runs the real `bin/redrive` as a child process, for tests that check what a user at a terminal sees.

import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REDRIVE_BIN = resolve(import.meta.dirname, '../../bin/redrive');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion. */
export const runRedrive = (args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(REDRIVE_BIN, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redrive ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });

export interface ServingRedrive {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `redrive serve` and resolves once it prints the URL it serves on. */
export const serveRedrive = (args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<ServingRedrive> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(REDRIVE_BIN, ['serve', ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redrive serve did not start in time\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /serving on (http:\/\/\S+?) /.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        const url = match[1];
        resolvePromise({
          url,
          child,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redrive serve exited with ${code}\n${output}`));
    });
  });
