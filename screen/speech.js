// Spoken guidance: each screen's instruction, synthesised by kioskd (espeak-ng) and played
// here. Only the screen's own instructions are ever sent, never what an applicant typed.
// The audio is kept in memory for this page's life only (no browser storage).

import { api } from "./api.js";

export class Speaker {
  constructor() {
    this.enabled = false;
    this.audio = new Audio();
    this.cache = new Map();
    this.available = true;
  }

  async say(text, language) {
    if (!this.enabled || !this.available || !text) return;
    const key = `${language}\n${text}`;
    try {
      let url = this.cache.get(key);
      if (!url) {
        const wav = await api.speech(text, language);
        url = URL.createObjectURL(wav);
        this.cache.set(key, url);
      }
      this.audio.pause();
      this.audio.src = url;
      await this.audio.play();
      document.body.dataset.spoken = text;
    } catch (error) {
      if (error?.status === 503) this.available = false;
    }
  }

  stop() {
    this.audio.pause();
  }
}
