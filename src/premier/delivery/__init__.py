"""Delivering messages to people through providers, whatever the channel: the queue rows
and how workers lease them, the one worker that drains a channel's queue, circuit
breakers, the failures a provider may report and the one normalised tracking event.

Nothing here knows a channel or a domain; channels (email, SMS, push) build on it."""
