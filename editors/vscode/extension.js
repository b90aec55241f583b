// The jixiao extension for VS Code: starts `jixiao lsp` (the language server built into
// the jixiao binary) for .rules files, and shows the bundled rule sets it points to
// (`jixiao:/bundled/NAME.rules`, read-only) with the text the server gives.
// Everything else (diagnostics, hover, definitions, completion, formatting, outline,
// semantic tokens, quick fixes, the 运行测试 code lens) comes from the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('jixiao').get('path') || 'jixiao';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient(
    'jixiao',
    'jixiao 规则',
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: 'file', language: 'jixiao' },
        { scheme: 'untitled', language: 'jixiao' },
        { scheme: 'jixiao', language: 'jixiao' },
      ],
    },
  );
  // Bundled rule sets: virtual, read-only documents whose text the server holds.
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider('jixiao', {
      provideTextDocumentContent: async (uri) => {
        const text = await client.sendRequest('jixiao/bundledText', { uri: uri.toString() });
        return text || '';
      },
    }),
  );
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.uri.scheme === 'jixiao' && doc.languageId !== 'jixiao') {
        vscode.languages.setTextDocumentLanguage(doc, 'jixiao');
      }
    }),
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
