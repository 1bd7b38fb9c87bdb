'use client';

import { useId } from 'react';
import styles from './segmented-choice.module.css';

/**
 * One of a few options as joined buttons (a time range, say): radio inputs underneath, so arrow
 * keys move the choice and a screen reader names the group. Full width on a phone.
 */
export function SegmentedChoice<K extends string>({
  legend,
  options,
  value,
  onChange,
  labelOf = (option) => option,
}: {
  /** Read to screen readers only: the options say the rest. */
  legend: string;
  options: readonly K[];
  value: K;
  onChange: (option: K) => void;
  labelOf?: (option: K) => string;
}) {
  const name = useId();
  return (
    <fieldset className={styles.choices}>
      <legend className="visually-hidden">{legend}</legend>
      {options.map((option) => (
        <label key={option} className={styles.choice}>
          <input
            type="radio"
            name={name}
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
          />
          <span>{labelOf(option)}</span>
        </label>
      ))}
    </fieldset>
  );
}
