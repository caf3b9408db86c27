import { useLayoutEffect, useRef, useState } from 'react';
import { formatAmount } from '../../shared/format';
import { niceScale, type DayBucket } from '../chart-data';

export type ChartMetric = 'count' | 'amount';

const HEIGHT = 260;
const MARGIN = { top: 16, right: 44, bottom: 34, left: 56 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function shortDay(day: string): string {
  const [, month, date] = day.split('-');
  return `${MONTHS[Number(month) - 1]} ${Number(date)}`;
}

function compactRupees(rupees: number): string {
  if (rupees >= 10_000_000) {
    return `₹${+(rupees / 10_000_000).toFixed(1)}Cr`;
  }
  if (rupees >= 100_000) {
    return `₹${+(rupees / 100_000).toFixed(1)}L`;
  }
  if (rupees >= 1000) {
    return `₹${+(rupees / 1000).toFixed(1)}k`;
  }
  return `₹${rupees}`;
}

export function describeDay(bucket: DayBucket): string {
  if (bucket.count === 0) {
    return `${bucket.day}: no payments`;
  }
  const payments = `${bucket.count} payment${bucket.count === 1 ? '' : 's'}`;
  return `${bucket.day}: ${payments}, ${bucket.successCount} successful (${bucket.successRate}%), ${formatAmount(bucket.successAmount)} collected`;
}

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/**
 * Bars: payments per UTC day (or successful amount); line: that day's success rate on the right-hand axis.
 * Drawn at the container's pixel width so text stays legible on phones.
 */
export function VolumeChart({ buckets, metric }: { buckets: readonly DayBucket[]; metric: ChartMetric }) {
  const [containerRef, width] = useWidth();
  const [hovered, setHovered] = useState<number>();

  const value = (bucket: DayBucket) => (metric === 'count' ? bucket.count : bucket.successAmount / 100);
  const scale = niceScale(Math.max(0, ...buckets.map(value)));
  const plotWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = buckets.length > 0 ? plotWidth / buckets.length : 0;
  const barWidth = Math.min(36, band * 0.62);
  const y = (amount: number) => MARGIN.top + plotHeight - (amount / scale.max) * plotHeight;
  const yRate = (rate: number) => MARGIN.top + plotHeight - (rate / 100) * plotHeight;
  const xCenter = (index: number) => MARGIN.left + band * index + band / 2;
  const labelEvery = band < 34 ? 3 : band < 52 ? 2 : 1;
  const yLabel = (tick: number) => (metric === 'count' ? String(tick) : compactRupees(tick));

  // The success-rate line breaks on days without payments instead of pretending they were 0%.
  const segments: string[] = [];
  let current: string[] = [];
  buckets.forEach((bucket, index) => {
    if (bucket.successRate === null) {
      if (current.length) {
        segments.push(current.join(' '));
      }
      current = [];
      return;
    }
    current.push(`${current.length ? 'L' : 'M'}${xCenter(index).toFixed(1)},${yRate(bucket.successRate).toFixed(1)}`);
  });
  if (current.length) {
    segments.push(current.join(' '));
  }

  const metricName = metric === 'count' ? 'number of payments' : 'amount collected from successful payments';
  const first = buckets[0]?.day ?? '';
  const last = buckets[buckets.length - 1]?.day ?? '';
  const hoveredBucket = hovered === undefined ? undefined : buckets[hovered];

  return (
    <div className="chart" ref={containerRef}>
      {width > 0 && (
        <svg
          width={width}
          height={HEIGHT}
          role="img"
          aria-labelledby="volume-chart-title volume-chart-desc"
          data-test-id="volume-chart"
          onMouseLeave={() => setHovered(undefined)}
        >
          <title id="volume-chart-title">Payment volume and success rate, last {buckets.length} days (UTC)</title>
          <desc id="volume-chart-desc">
            {`Bars show the ${metricName} per day from ${first} to ${last}; the line shows the daily success rate.`}
          </desc>
          {scale.ticks.map((tick) => (
            <g key={tick}>
              <line className="chart-grid" x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} />
              <text className="chart-axis-label" x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
                {yLabel(tick)}
              </text>
            </g>
          ))}
          {[0, 50, 100].map((rate) => (
            <text
              key={rate}
              className="chart-axis-label chart-axis-rate"
              x={width - MARGIN.right + 8}
              y={yRate(rate)}
              dy="0.32em"
            >
              {rate}%
            </text>
          ))}
          <text
            className="chart-axis-title"
            transform={`translate(12 ${MARGIN.top + plotHeight / 2}) rotate(-90)`}
            textAnchor="middle"
          >
            {metric === 'count' ? 'Payments' : 'Collected (₹)'}
          </text>
          {buckets.map((bucket, index) => {
            const barValue = value(bucket);
            const top = y(barValue);
            return (
              <g
                key={bucket.day}
                className={`chart-day${hovered === index ? ' chart-day-active' : ''}`}
                onMouseEnter={() => setHovered(index)}
              >
                <title>{describeDay(bucket)}</title>
                <rect
                  className="chart-hover-band"
                  x={MARGIN.left + band * index}
                  y={MARGIN.top}
                  width={band}
                  height={plotHeight}
                />
                {barValue > 0 && (
                  <rect
                    className="chart-bar"
                    x={xCenter(index) - barWidth / 2}
                    y={top}
                    width={barWidth}
                    height={Math.max(1, MARGIN.top + plotHeight - top)}
                    rx={Math.min(4, barWidth / 4)}
                  />
                )}
                {index % labelEvery === (buckets.length - 1) % labelEvery && (
                  <text
                    className="chart-axis-label"
                    x={xCenter(index)}
                    y={HEIGHT - MARGIN.bottom + 18}
                    textAnchor="middle"
                  >
                    {shortDay(bucket.day)}
                  </text>
                )}
              </g>
            );
          })}
          <line
            className="chart-baseline"
            x1={MARGIN.left}
            x2={width - MARGIN.right}
            y1={MARGIN.top + plotHeight}
            y2={MARGIN.top + plotHeight}
          />
          {segments.map((path) => (
            <path key={path} className="chart-line" d={path} />
          ))}
          {buckets.map((bucket, index) =>
            bucket.successRate === null ? null : (
              <circle
                key={bucket.day}
                className="chart-dot"
                cx={xCenter(index)}
                cy={yRate(bucket.successRate)}
                r={hovered === index ? 4.5 : 3}
              />
            ),
          )}
        </svg>
      )}
      {hoveredBucket && hovered !== undefined && (
        <div
          className="chart-tooltip"
          aria-hidden="true"
          // Beside the hovered column, on whichever side has room, so the bar and its rate stay visible.
          style={
            xCenter(hovered) > width / 2
              ? { right: width - (xCenter(hovered) - band / 2) + 6, top: MARGIN.top }
              : { left: xCenter(hovered) + band / 2 + 6, top: MARGIN.top }
          }
        >
          <strong>{shortDay(hoveredBucket.day)}</strong>
          <span>
            {hoveredBucket.count} payment{hoveredBucket.count === 1 ? '' : 's'}
          </span>
          <span>{formatAmount(hoveredBucket.successAmount)} collected</span>
          <span>
            {hoveredBucket.successRate === null ? 'No success rate' : `${hoveredBucket.successRate}% success`}
          </span>
        </div>
      )}
      <div className="sr-only">
        <table>
          <caption>Payments per day (UTC), last {buckets.length} days</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Payments</th>
              <th scope="col">Successful</th>
              <th scope="col">Collected</th>
              <th scope="col">Success rate</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.day}>
                <th scope="row">{bucket.day}</th>
                <td>{bucket.count}</td>
                <td>{bucket.successCount}</td>
                <td>{formatAmount(bucket.successAmount)}</td>
                <td>{bucket.successRate === null ? '-' : `${bucket.successRate}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
