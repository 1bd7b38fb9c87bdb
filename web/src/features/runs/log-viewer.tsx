'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { type LogLine, segmentsOf } from './run-model';
import styles from './runs.module.css';

const LINE_HEIGHT = 20;

const styleOf = (segment: ReturnType<typeof segmentsOf>[number]): CSSProperties | undefined =>
  segment.color || segment.background
    ? {
        color: segment.color ? `rgb(${segment.color})` : undefined,
        backgroundColor: segment.background ? `rgb(${segment.background})` : undefined,
      }
    : undefined;

const Line = memo(function Line({ line }: { line: LogLine }) {
  const segments = useMemo(() => segmentsOf(line.text), [line.text]);
  return (
    <>
      <span className={styles.position} aria-hidden="true">
        {line.position}
      </span>
      <span className={line.stream === 'STDOUT' ? undefined : styles[line.stream.toLowerCase()]}>
        {segments.map((segment, index) => (
          <span
            key={index}
            style={styleOf(segment)}
            className={[
              segment.bold && styles.bold,
              segment.dim && styles.dim,
              segment.italic && styles.italic,
              segment.underline && styles.underline,
            ]
              .filter(Boolean)
              .join(' ')}
          >
            {segment.text}
          </span>
        ))}
      </span>
    </>
  );
});

/**
 * A run's log as a terminal shows it, any length: only the lines in view are in the page. It
 * follows new lines while following is on; scrolling up pauses it, "Follow" resumes.
 */
export function LogViewer({
  lines,
  running,
  loading,
}: {
  lines: readonly LogLine[];
  running: boolean;
  loading: boolean;
}) {
  const id = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 30,
  });

  useEffect(() => {
    if (follow && lines.length > 0) {
      virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
    }
  }, [follow, lines.length, virtualizer]);

  // A person scrolling up to read pauses following; reaching the end again resumes it.
  const onScroll = () => {
    const element = scroller.current;
    if (!element) {
      return;
    }
    const atEnd = element.scrollTop + element.clientHeight >= element.scrollHeight - LINE_HEIGHT;
    setFollow(atEnd);
  };

  return (
    <section aria-labelledby={`${id}-heading`} className={`panel ${styles.logPanel}`}>
      <div className={styles.logBar}>
        <h2 id={`${id}-heading`}>Log</h2>
        <span className="muted" aria-live="polite">
          {lines.length.toLocaleString('en-US')} {lines.length === 1 ? 'line' : 'lines'}
          {loading ? ' · loading…' : ''}
        </span>
        <div className={styles.logActions}>
          <button
            type="button"
            className="button"
            aria-pressed={follow}
            onClick={() => setFollow((value) => !value)}
          >
            {follow ? 'Pause following' : 'Follow'}
          </button>
        </div>
      </div>
      {lines.length === 0 ? (
        <p className="muted">
          {loading ? 'Loading the log…' : running ? 'Waiting for the first line…' : 'No log lines.'}
        </p>
      ) : (
        <div
          ref={scroller}
          className={styles.log}
          role="log"
          aria-live="off"
          aria-label="Run log"
          tabIndex={0}
          onScroll={onScroll}
        >
          <div style={{ height: virtualizer.getTotalSize() }} className={styles.logInner}>
            {virtualizer.getVirtualItems().map((item) => (
              <div
                key={item.key}
                className={styles.line}
                data-position={lines[item.index]!.position}
                style={{ transform: `translateY(${item.start}px)`, height: LINE_HEIGHT }}
              >
                <Line line={lines[item.index]!} />
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
