/** Learning curves (train and validation loss per epoch) as a uPlot chart that grows one point per epoch. */
import uPlot from 'uplot';

export class LearningCurve {
  private plot?: uPlot;
  readonly epochs: number[] = [];
  readonly loss: number[] = [];
  readonly valLoss: Array<number | null> = [];

  constructor(private readonly host: HTMLElement) {}

  /** Add one epoch and redraw. */
  add(epoch: number, loss: number, valLoss: number | null): void {
    this.epochs.push(epoch);
    this.loss.push(loss);
    this.valLoss.push(valLoss);
    const data = [this.epochs, this.loss, this.valLoss] as uPlot.AlignedData;
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    this.plot = new uPlot(
      {
        width: Math.min(900, this.host.clientWidth || 900),
        height: 360,
        scales: { x: { time: false } },
        axes: [{ label: 'epoch' }, { label: 'loss (scaled)' }],
        series: [{ label: 'epoch' }, { label: 'train loss', stroke: '#1f77b4', width: 1.5, points: { show: true } }, { label: 'validation loss', stroke: '#d62728', width: 1.5, points: { show: true } }],
      },
      data,
      this.host,
    );
  }
}
