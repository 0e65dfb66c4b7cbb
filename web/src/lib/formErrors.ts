/**
 * What a form shows when the API refuses it: a sentence of the form's own beside each field
 * the API named, never the validator's raw text, and one sentence for the whole form.
 */
import { ApiError } from '../api/client'

/** "the code X is taken" → "The code X is taken." */
export function sentence(text: string): string {
  const trimmed = text.trim()
  if (!trimmed) return trimmed
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

function namedField(details: unknown): string | null {
  if (details && typeof details === 'object' && !Array.isArray(details)) {
    const field = (details as { field?: unknown }).field
    if (typeof field === 'string') return field
  }
  return null
}

/**
 * Field name → the sentence to show beside it. `sentences` holds the form's own words for
 * each field (what a valid value looks like); a field the API names but the form has no
 * words for gets a plain "Check this value." A refusal the API explains itself (a taken
 * code, a clash of dates) names its field in `details.field` and keeps its own sentence.
 */
export function fieldErrors(error: unknown, sentences: Record<string, string>): Record<string, string> {
  if (!(error instanceof ApiError)) return {}
  const found: Record<string, string> = {}
  for (const name of Object.keys(error.fieldErrors)) {
    const field = name.split('.')[0]
    if (field === 'body' || field === '') continue
    found[field] ??= sentences[field] ?? 'Check this value.'
  }
  const field = namedField(error.details)
  if (field) found[field] = sentence(error.message)
  return found
}

/** The form-wide sentence, or null when the notes beside the fields say it all. */
export function formError(error: unknown, shownBesideFields: Record<string, string>): string | null {
  if (!error) return null
  if (error instanceof ApiError) {
    if (Object.keys(shownBesideFields).length > 0) {
      return error.code === 'validation_error' || namedField(error.details)
        ? 'Some fields need another look: see the notes beside them.'
        : sentence(error.message)
    }
    if (error.code === 'validation_error') return 'Some of these values are not accepted. Check them and try again.'
    if (error.status === 403) return 'Your account may not make this change.'
    return sentence(error.message)
  }
  return 'Something went wrong. Try again.'
}
