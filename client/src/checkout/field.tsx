import type { ReactNode } from 'react';
import { ErrorIcon } from './icons';

interface FieldProps {
  id: string;
  label: string;
  /** Small text after the label, e.g. "Optional". */
  labelNote?: string;
  error?: string;
  hint?: string;
  className?: string;
  children: ReactNode;
}

/**
 * Label, control and the inline error of one form field. The error paragraph is always rendered so its
 * `aria-live` region exists before a message appears; the control points at it with `aria-describedby`
 * (see `describedBy`).
 */
export function Field({ id, label, labelNote, error, hint, className, children }: FieldProps) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
        {labelNote && <span className="field-label-note">{labelNote}</span>}
      </label>
      {children}
      {hint && !error && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <p className="field-error" id={`${id}-error`} aria-live="polite">
        {error && (
          <>
            <ErrorIcon className="field-error-icon" />
            {error}
          </>
        )}
      </p>
    </div>
  );
}

/** `aria-describedby` for a control rendered inside `Field`. */
export function describedBy(id: string, error: string | undefined, hint?: string): string {
  return hint && !error ? `${id}-hint ${id}-error` : `${id}-error`;
}
