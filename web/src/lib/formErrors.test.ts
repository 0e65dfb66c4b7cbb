import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { fieldErrors, formError, sentence } from './formErrors'

const validation = new ApiError(422, 'validation_error', 'body.capacity: Input should be greater than or equal to 1', [
  { field: 'body.capacity', message: 'Input should be greater than or equal to 1', type: 'greater_than_equal' },
])

describe('API errors as sentences', () => {
  it('shows the form’s own words beside a field, never the validator’s', () => {
    const errors = fieldErrors(validation, { capacity: 'A room sleeps 1 to 20 guests.' })
    expect(errors).toEqual({ capacity: 'A room sleeps 1 to 20 guests.' })
    expect(formError(validation, errors)).toBe('Some fields need another look: see the notes beside them.')
    expect(formError(validation, {})).not.toContain('Input should')
  })

  it('keeps a refusal the API explains itself beside the field it names', () => {
    const taken = new ApiError(409, 'code_taken', 'the code GDN is already used by the room type Garden', {
      field: 'code',
    })
    expect(fieldErrors(taken, {})).toEqual({ code: 'The code GDN is already used by the room type Garden.' })
  })

  it('makes a sentence of a lower-case message', () => {
    expect(sentence('room 101 already exists')).toBe('Room 101 already exists.')
    expect(sentence('Done!')).toBe('Done!')
  })
})
