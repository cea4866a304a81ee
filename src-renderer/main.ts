import { createApp, h } from 'vue';
createApp({ render: () => h('h1', 'K-means Explorer') }).mount('#app');
