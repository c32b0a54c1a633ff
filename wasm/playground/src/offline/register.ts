/** Registers the service worker that makes the playground work offline (not on file://). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || location.protocol === 'file:') return;
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error) => {
    console.warn('netward playground: offline support is off:', error);
  });
}
