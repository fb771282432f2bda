/**
 * The LSTM recurrence h_t, c_t = cell(pre_t + h_{t−1}·Whh, c_{t−1}) as one
 * TF.js custom-gradient op. The forward keeps the activated gates and cell
 * states; the backward walks the steps in reverse with hand-written cell
 * derivatives and forms dWhh with ONE matMul over all steps (autodiff would
 * record ~12 ops per step and accumulate dWhh with a matMul + add per step).
 * Gate order i, f, g, o (PyTorch's).
 */
import { tf } from '../../core/tensor/index.js';

/** pre [nt, nb, 4H] (input projection + bias), Whh [H, 4H] → hidden states [nt, nb, H]. */
export function lstmRecurrence(pre: tf.Tensor3D, Whh: tf.Tensor2D): tf.Tensor3D {
  const f = tf.customGrad(((preIn: tf.Tensor3D, W: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const [nt, nb, H4] = preIn.shape;
    const H = H4 / 4;
    const steps = tf.unstack(preIn, 0);
    let h: tf.Tensor = tf.zeros([nb, H]);
    let c: tf.Tensor = tf.zeros([nb, H]);
    const hs: tf.Tensor[] = [h];
    const cs: tf.Tensor[] = [c];
    const acts: tf.Tensor[] = [];
    for (let t = 0; t < nt; t++) {
      const next = tf.tidy(() => {
        const g = tf.add(steps[t], tf.matMul(h, W));
        const sg = tf.sigmoid(g);
        const i = tf.slice(sg, [0, 0], [nb, H]);
        const fg = tf.slice(sg, [0, H], [nb, H]);
        const gg = tf.tanh(tf.slice(g, [0, 2 * H], [nb, H]));
        const o = tf.slice(sg, [0, 3 * H], [nb, H]);
        const cn = tf.add(tf.mul(fg, c), tf.mul(i, gg));
        const hn = tf.mul(o, tf.tanh(cn));
        return { cn, hn, act: tf.concat([i, fg, gg, o], 1) };
      });
      steps[t].dispose();
      h = next.hn;
      c = next.cn;
      hs.push(h);
      cs.push(c);
      acts.push(next.act);
    }
    const value = tf.stack(hs.slice(1), 0) as tf.Tensor3D;
    const A = tf.stack(acts, 0);
    const C = tf.stack(cs, 0);
    const Hprev = tf.stack(hs.slice(0, nt), 0);
    tf.dispose([...hs, ...cs, ...acts]);
    save([A, C, Hprev, W]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [As, Cs, Hp, Ws] = saved;
        const dys = tf.unstack(dy, 0);
        const WT = tf.transpose(Ws);
        let dh: tf.Tensor = tf.zeros([nb, H]);
        let dc: tf.Tensor = tf.zeros([nb, H]);
        const dpre: tf.Tensor[] = new Array(nt);
        for (let t = nt - 1; t >= 0; t--) {
          const r = tf.tidy(() => {
            const a = tf.reshape(tf.slice(As, [t, 0, 0], [1, nb, H4]), [nb, H4]);
            const i = tf.slice(a, [0, 0], [nb, H]);
            const fg = tf.slice(a, [0, H], [nb, H]);
            const gg = tf.slice(a, [0, 2 * H], [nb, H]);
            const o = tf.slice(a, [0, 3 * H], [nb, H]);
            const cPrev = tf.reshape(tf.slice(Cs, [t, 0, 0], [1, nb, H]), [nb, H]);
            const cT = tf.reshape(tf.slice(Cs, [t + 1, 0, 0], [1, nb, H]), [nb, H]);
            const dhT = tf.add(dys[t], dh);
            const tc = tf.tanh(cT);
            const dO = tf.mul(dhT, tc);
            const dcT = tf.add(dc, tf.mul(tf.mul(dhT, o), tf.sub(1, tf.square(tc))));
            const dI = tf.mul(dcT, gg);
            const dG = tf.mul(dcT, i);
            const dF = tf.mul(dcT, cPrev);
            const dp = tf.concat(
              [tf.mul(dI, tf.mul(i, tf.sub(1, i))), tf.mul(dF, tf.mul(fg, tf.sub(1, fg))), tf.mul(dG, tf.sub(1, tf.square(gg))), tf.mul(dO, tf.mul(o, tf.sub(1, o)))],
              1,
            );
            return { dp, dhn: tf.matMul(dp, WT), dcn: tf.mul(dcT, fg) };
          });
          dh.dispose();
          dc.dispose();
          dys[t].dispose();
          dh = r.dhn;
          dc = r.dcn;
          dpre[t] = r.dp;
        }
        const dPre = tf.stack(dpre, 0);
        tf.dispose([...dpre, dh, dc, WT]);
        const dW = tf.matMul(tf.reshape(Hp, [nt * nb, H]), tf.reshape(dPre, [nt * nb, H4]), true, false);
        return [dPre, dW];
      },
    };
  }) as any);
  return f(pre, Whh) as tf.Tensor3D;
}
