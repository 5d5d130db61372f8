let context: AudioContext | undefined;
let lastPlayedAt = 0;
/** A message and the assignment it brings arrive together: one chime for both. */
const QUIET_MS = 1500;

/**
 * A short two-note chime drawn with WebAudio, so no sound file ships with the app. Browsers keep
 * audio muted until the page has had a user gesture; before that the chime stays silent.
 */
export function playChime(): void {
  if (typeof AudioContext === 'undefined' || Date.now() - lastPlayedAt < QUIET_MS) return;
  lastPlayedAt = Date.now();
  const audio = (context ??= new AudioContext());
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  const start = audio.currentTime;
  const gain = audio.createGain();
  gain.connect(audio.destination);
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.45);
  [880, 1320].forEach((frequency, index) => {
    const oscillator = audio.createOscillator();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(frequency, start + index * 0.12);
    oscillator.connect(gain);
    oscillator.start(start + index * 0.12);
    oscillator.stop(start + 0.45);
  });
}
