"""SMS: phone numbers, segment counting and cost, providers, opt-out, OTP, delivery tracking."""
