// Type declarations for electron-vite's import suffixes (`?modulePath` for the utility-process entry).
/// <reference types="electron-vite/node" />
