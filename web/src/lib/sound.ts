/** The chime for live news, and whether this device wants it (remembered per device). */
const SOUND_KEY = 'premier.notification-sound'

export function soundOn(): boolean {
  return localStorage.getItem(SOUND_KEY) === 'on'
}

export function setSound(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off')
}

/** A short two-note chime, made on the spot (no audio file to load). */
export function chime(): void {
  try {
    const audio = new AudioContext()
    const gain = audio.createGain()
    gain.gain.setValueAtTime(0.15, audio.currentTime)
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6)
    gain.connect(audio.destination)
    ;[880, 1320].forEach((frequency, i) => {
      const tone = audio.createOscillator()
      tone.frequency.value = frequency
      tone.connect(gain)
      tone.start(audio.currentTime + i * 0.15)
      tone.stop(audio.currentTime + 0.6)
    })
    window.setTimeout(() => void audio.close(), 1000)
  } catch {
    // no audio (or not allowed yet): the list still updates
  }
}
