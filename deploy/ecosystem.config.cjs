// PM2, instead of systemd (go-live guide, step 5):
//   npm install -g pm2 && pm2 start deploy/ecosystem.config.cjs && pm2 save && pm2 startup
// The settings are in .env in the project folder (read by kedai itself).
module.exports = {
  apps: [
    {
      name: 'kedai',
      cwd: __dirname + '/..',
      script: 'npm',
      args: 'start',
      // One process: the embedded store and WhatsApp Web are one process each.
      instances: 1,
      exec_mode: 'fork',
      autorestart: true,
      kill_timeout: 30000,
    },
  ],
};
