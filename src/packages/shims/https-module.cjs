module.exports = require('./http.cjs').https;
