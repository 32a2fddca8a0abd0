// Knobs: sliders, switches and selects bound to scenario fields (knobs/spec.ts describes one knob,
// knobs/scenario-knobs.ts lists a scenario's knobs). A controlled component: it shows `values` and
// reports a checked value through onChange; it never passes on a value checkKnobValue() refused.
//
// Props:
//   idPrefix  prefix of every DOM id (unique on the page; stable for hydration)
//   lang      'en' | 'zh-cn'
//   knobs     the knobs, grouped into fieldsets by their `group`
//   values    current value of each knob, by id
//   onChange  (id, value) => void, called with valid values only
//   groupLabel  (group) => { en, 'zh-cn' } fieldset legends
//   disabled  every control read-only (e.g. while a run is in progress)
//
// Number knobs have a slider (logarithmic when `log`) and a number field for exact values; the field
// shows what is wrong while a person types and goes back to the last valid value when they leave it.
// The valid range and the unit are printed next to the control and read as its description.

import { useEffect, useState } from 'preact/hooks';
import {
  checkKnobValue,
  formatKnobNumber,
  type Knob,
  type KnobValue,
  type Lang,
  type NumberKnob,
  rangeText,
  type Text,
} from './knobs/spec.ts';
import './knobs/knobs.css';

export interface KnobsProps {
  idPrefix: string;
  lang: Lang;
  knobs: readonly Knob[];
  values: Record<string, KnobValue>;
  onChange: (id: string, value: KnobValue) => void;
  groupLabel: (group: string) => Text;
  disabled?: boolean;
}

/** Slider positions for a logarithmic knob. */
export const LOG_STEPS = 1000;

/** Slider position (0…LOG_STEPS) → value, snapped to the knob's step and range. */
export function logValue(k: NumberKnob, pos: number): number {
  const span = Math.log1p(k.max - k.min);
  const raw = k.min + Math.expm1((pos / LOG_STEPS) * span);
  const snapped = k.min + Math.round((raw - k.min) / k.step) * k.step;
  return Math.min(k.max, Math.max(k.min, Number(formatKnobNumber(k, snapped))));
}

/** Value → slider position of a logarithmic knob. */
export function logPosition(k: NumberKnob, v: number): number {
  const span = Math.log1p(k.max - k.min);
  return span === 0 ? 0 : Math.round((Math.log1p(Math.max(0, v - k.min)) / span) * LOG_STEPS);
}

export function domId(prefix: string, knobId: string): string {
  return `${prefix}-${knobId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function NumberControl(props: {
  k: NumberKnob;
  id: string;
  lang: Lang;
  value: number;
  onChange: (v: number) => void;
  disabled: boolean;
}) {
  const { k, id, lang, value, onChange, disabled } = props;
  const shown = formatKnobNumber(k, value);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | undefined>(undefined);
  // A new value from outside (a preset, the slider) replaces whatever was being typed.
  useEffect(() => {
    setDraft(shown);
    setError(undefined);
  }, [shown]);
  const unit = k.unit?.[lang] ?? '';
  const valueText = `${Number(shown).toLocaleString('en-US', { useGrouping: k.max >= 100_000 })}${unit ? ` ${unit}` : ''}`;
  const commit = (text: string) => {
    const checked = checkKnobValue(k, text);
    if (checked.ok) {
      setError(undefined);
      if (checked.value !== value) onChange(checked.value as number);
      setDraft(formatKnobNumber(k, checked.value as number));
    } else {
      // Refused: back to the last valid value; the message says why and what was kept.
      setDraft(shown);
      setError(`${checked.error[lang]} (${lang === 'en' ? 'kept' : '保留'} ${shown})`);
    }
  };
  const describedBy = [`${id}-range`, k.help ? `${id}-help` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="twg-knob twg-knob--number" data-knob={k.id}>
      <label id={`${id}-label`} for={id}>
        {k.label[lang]}
      </label>
      <div class="twg-knob__row">
        <input
          type="range"
          aria-labelledby={`${id}-label`}
          aria-describedby={`${id}-range`}
          aria-valuetext={valueText}
          min={k.log ? 0 : k.min}
          max={k.log ? LOG_STEPS : k.max}
          step={k.log ? 1 : k.step}
          value={k.log ? logPosition(k, value) : value}
          disabled={disabled}
          onInput={(e) => {
            const pos = Number((e.currentTarget as HTMLInputElement).value);
            const v = k.log ? logValue(k, pos) : pos;
            const checked = checkKnobValue(k, v);
            if (checked.ok && checked.value !== value) onChange(checked.value as number);
          }}
        />
        <input
          type="text"
          inputMode={k.step < 1 ? 'decimal' : 'numeric'}
          id={id}
          class="twg-knob__field"
          size={Math.max(4, String(k.max).length + 1)}
          value={draft}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={describedBy}
          disabled={disabled}
          onInput={(e) => {
            const text = (e.currentTarget as HTMLInputElement).value;
            setDraft(text);
            const checked = checkKnobValue(k, text);
            setError(checked.ok ? undefined : checked.error[lang]);
          }}
          onChange={(e) => commit((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setDraft(shown);
              setError(undefined);
            }
          }}
        />
        <span class="twg-knob__unit" aria-hidden="true">
          {unit}
        </span>
      </div>
      <span id={`${id}-range`} class="twg-knob__range">
        {rangeText(k, lang)}
      </span>
      {k.help && (
        <span id={`${id}-help`} class="twg-knob__help">
          {k.help[lang]}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} class="twg-knob__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

export function Knobs(props: KnobsProps) {
  const { idPrefix, lang, knobs, values, onChange, groupLabel, disabled = false } = props;
  const groups: string[] = [];
  for (const k of knobs) if (!groups.includes(k.group)) groups.push(k.group);
  return (
    <div class="twg-knobs">
      {groups.map((g) => (
        <fieldset key={g} class="twg-knobs__group" data-group={g}>
          <legend>{groupLabel(g)[lang]}</legend>
          {knobs
            .filter((k) => k.group === g)
            .map((k) => {
              const id = domId(idPrefix, k.id);
              const value = values[k.id];
              if (k.kind === 'number') {
                return (
                  <NumberControl
                    key={k.id}
                    k={k}
                    id={id}
                    lang={lang}
                    value={typeof value === 'number' ? value : k.min}
                    disabled={disabled}
                    onChange={(v) => onChange(k.id, v)}
                  />
                );
              }
              if (k.kind === 'toggle') {
                return (
                  <div class="twg-knob twg-knob--toggle" data-knob={k.id} key={k.id}>
                    <input
                      type="checkbox"
                      role="switch"
                      aria-checked={value === true}
                      id={id}
                      checked={value === true}
                      disabled={disabled}
                      aria-describedby={k.help ? `${id}-help` : undefined}
                      onChange={(e) => onChange(k.id, (e.currentTarget as HTMLInputElement).checked)}
                    />
                    <label for={id}>{k.label[lang]}</label>
                    {k.help && (
                      <span id={`${id}-help`} class="twg-knob__help">
                        {k.help[lang]}
                      </span>
                    )}
                  </div>
                );
              }
              return (
                <div class="twg-knob twg-knob--select" data-knob={k.id} key={k.id}>
                  <label for={id}>{k.label[lang]}</label>
                  <select
                    id={id}
                    value={typeof value === 'string' ? value : ''}
                    disabled={disabled}
                    aria-describedby={k.help ? `${id}-help` : undefined}
                    onChange={(e) => {
                      const checked = checkKnobValue(k, (e.currentTarget as HTMLSelectElement).value);
                      if (checked.ok) onChange(k.id, checked.value);
                    }}
                  >
                    {k.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label[lang]}
                      </option>
                    ))}
                  </select>
                  {k.help && (
                    <span id={`${id}-help`} class="twg-knob__help">
                      {k.help[lang]}
                    </span>
                  )}
                </div>
              );
            })}
        </fieldset>
      ))}
    </div>
  );
}

export default Knobs;
