module.exports = require('./http.cjs').http;
