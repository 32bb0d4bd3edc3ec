// What the callback app offers to code that embeds it: the test harness in libs/testing
// (`@dashtam/callback-app`) builds the app exactly as main.ts does. Nothing else imports this file.
export { configureCallbackApp, createCallbackAdapter } from './callback-app';
export { CallbackModule } from './callback.module';
