/** Why recording is impossible here, or undefined when it is possible. */
export function recordingUnavailableReason(): string | undefined {
  if (!window.isSecureContext) return 'microphone recording needs https or localhost';
  if (!navigator.mediaDevices?.getUserMedia) return 'this browser has no microphone access';
  if (typeof MediaRecorder === 'undefined') return 'this browser cannot record audio (no MediaRecorder)';
  return undefined;
}

/**
 * Records `seconds` of microphone audio; resolves to the encoded recording (WebM/Opus, Ogg or MP4,
 * whatever the browser's MediaRecorder makes — `decodeAudioData` reads it back).
 *
 * @throws {Error} when access is denied or recording fails.
 */
export async function recordMicrophone(seconds: number): Promise<Blob> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  try {
    const recorder = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    const done = new Promise<Blob>((resolve, reject) => {
      recorder.ondataavailable = (e) => {
        if (e.data.size > 0) chunks.push(e.data);
      };
      recorder.onstop = () => resolve(new Blob(chunks, { type: recorder.mimeType }));
      recorder.onerror = () => reject(new Error('recording failed'));
    });
    recorder.start();
    setTimeout(() => {
      if (recorder.state !== 'inactive') recorder.stop();
    }, seconds * 1000);
    return await done;
  } finally {
    for (const track of stream.getTracks()) track.stop();
  }
}
