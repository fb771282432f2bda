/**
 * Adam and Adadelta over named TF.js variables, with state that can be saved
 * and restored exactly (checkpoints), and learning-rate schedules per epoch.
 */
import { tf } from '../../core/tensor/index.js';
import { NunatakError, didYouMean } from '../../core/errors.js';

export type OptimizerName = 'adam' | 'adadelta';
export const OPTIMIZERS: OptimizerName[] = ['adam', 'adadelta'];

export interface OptimizerState {
  type: OptimizerName;
  step: number;
  slots: Record<string, Record<string, { shape: number[]; data: number[] }>>;
}

export class Optimizer {
  step = 0;
  lr: number;
  private slots = new Map<string, Record<string, tf.Tensor>>();
  constructor(readonly type: OptimizerName, readonly baseLr: number, readonly opts: { beta1?: number; beta2?: number; rho?: number; eps?: number } = {}) {
    if (!OPTIMIZERS.includes(type)) throw new NunatakError('CONFIG', `unknown optimizer '${type}'${didYouMean(type, OPTIMIZERS)}`, { hint: `use ${OPTIMIZERS.join(' or ')}` });
    this.lr = baseLr;
  }

  private slot(name: string, v: tf.Variable, keys: string[]): Record<string, tf.Tensor> {
    let s = this.slots.get(name);
    if (!s) {
      s = {};
      for (const k of keys) s[k] = tf.keep(tf.zerosLike(v));
      this.slots.set(name, s);
    }
    return s;
  }

  /** Apply gradients (by variable key) to the variables. */
  apply(vars: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>): void {
    this.step++;
    const t = this.step;
    for (const [name, v] of vars) {
      const g = grads.get(name);
      if (!g) continue;
      tf.tidy(() => {
        if (this.type === 'adam') {
          const b1 = this.opts.beta1 ?? 0.9, b2 = this.opts.beta2 ?? 0.999, eps = this.opts.eps ?? 1e-8;
          const s = this.slot(name, v, ['m', 'v']);
          const m = tf.add(tf.mul(s.m, b1), tf.mul(g, 1 - b1));
          const vv = tf.add(tf.mul(s.v, b2), tf.mul(tf.square(g), 1 - b2));
          const mh = tf.div(m, 1 - b1 ** t), vh = tf.div(vv, 1 - b2 ** t);
          v.assign(tf.sub(v, tf.mul(this.lr, tf.div(mh, tf.add(tf.sqrt(vh), eps)))));
          this.swap(s, { m, v: vv });
        } else {
          // Adadelta (Zeiler 2012, PyTorch form): Δ = √(u+ε)/√(a+ε)·g, lr scales Δ
          const rho = this.opts.rho ?? 0.9, eps = this.opts.eps ?? 1e-6;
          const s = this.slot(name, v, ['a', 'u']);
          const a = tf.add(tf.mul(s.a, rho), tf.mul(tf.square(g), 1 - rho));
          const d = tf.mul(tf.div(tf.sqrt(tf.add(s.u, eps)), tf.sqrt(tf.add(a, eps))), g);
          const u = tf.add(tf.mul(s.u, rho), tf.mul(tf.square(d), 1 - rho));
          v.assign(tf.sub(v, tf.mul(this.lr, d)));
          this.swap(s, { a, u });
        }
      });
    }
  }

  private swap(s: Record<string, tf.Tensor>, next: Record<string, tf.Tensor>): void {
    for (const k of Object.keys(next)) {
      s[k].dispose();
      s[k] = tf.keep(next[k]);
    }
  }

  getState(): OptimizerState {
    const slots: OptimizerState['slots'] = {};
    for (const [name, s] of this.slots) {
      slots[name] = {};
      for (const [k, t] of Object.entries(s)) slots[name][k] = { shape: t.shape, data: Array.from(t.dataSync()) };
    }
    return { type: this.type, step: this.step, slots };
  }

  setState(st: OptimizerState): void {
    if (st.type !== this.type) throw new NunatakError('CONFIG', `checkpoint optimizer is ${st.type}, config asks for ${this.type}`);
    this.step = st.step;
    for (const s of this.slots.values()) for (const t of Object.values(s)) t.dispose();
    this.slots.clear();
    for (const [name, s] of Object.entries(st.slots)) {
      const r: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(s)) r[k] = tf.keep(tf.tensor(v.data, v.shape));
      this.slots.set(name, r);
    }
  }
}

export type Schedule = { type: 'none' } | { type: 'step'; step_size: number; gamma: number } | { type: 'exponential'; gamma: number } | { type: 'cosine'; t_max: number; eta_min?: number };

/** Learning rate for `epoch` (0-based) under a schedule (PyTorch StepLR / ExponentialLR / CosineAnnealingLR). */
export function scheduledLr(base: number, s: Schedule, epoch: number): number {
  switch (s.type) {
    case 'none':
      return base;
    case 'step':
      return base * s.gamma ** Math.floor(epoch / s.step_size);
    case 'exponential':
      return base * s.gamma ** epoch;
    case 'cosine': {
      const em = s.eta_min ?? 0;
      return em + ((base - em) * (1 + Math.cos((Math.PI * epoch) / s.t_max))) / 2;
    }
  }
}
